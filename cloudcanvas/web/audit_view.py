"""The audit log as people read it: field labels, team names, and each change as old → new.

Events store only the new values; the old value of a field is what the account's previous event
said of it (an account's first event, its "add", describes every field but the secret).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cloudcanvas.store.models import AuditEvent
from cloudcanvas.web.account_forms import FIELD_LABELS

LABELS = FIELD_LABELS | {
    "readAccess": "Read access",
    "writeAccess": "Write access",
    "email": "Email",
    "role": "Role",
    "member": "Member",
    "address": "From address",
}
TEAM_FIELDS = ("readAccess", "writeAccess")
# Fields that describe one event, not a state: they have no old value.
EVENT_FIELDS = frozenset({"member", "address"})


@dataclass(frozen=True)
class Change:
    label: str
    old: str | None  # None: not known (or the field is new)
    new: str


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    changes: list[Change]


def _text(field: str, value: Any, team_names: dict[str, str]) -> str:
    if field in TEAM_FIELDS:
        names = [team_names.get(str(e), str(e)) for e in value or []]
        return ", ".join(names) if names else "no team"
    if value is None or value == "":
        return "none"
    return str(value)[:10] if field == "secretExpiresAt" else str(value)


def _label(field: str, target_type: str) -> str:
    if field == "name" and target_type != "azure_account":
        return "Name"  # of a user or a team
    return LABELS.get(field, field)


def readable(events: Sequence[AuditEvent], team_names: dict[str, str]) -> list[AuditRow]:
    """The events in their given order, each change labelled and with its old value."""
    known: dict[str, dict[str, Any]] = {}
    rows: dict[str, AuditRow] = {}
    for event in sorted(events, key=lambda e: e.created_at):
        before = known.setdefault(event.target_id, {})
        changes = []
        for field, value in sorted((event.changes or {}).items()):
            new = _text(field, value, team_names)
            if event.action in ("add", "add_user") and new in ("no team", "none"):
                continue  # an add lists every field; empty ones say nothing
            known_before = field in before and field not in EVENT_FIELDS
            old = _text(field, before[field], team_names) if known_before else None
            changes.append(Change(_label(field, event.target_type), old, new))
            before[field] = value
        rows[event.id] = AuditRow(event, changes)
    return [rows[e.id] for e in events]
