"""Drift: the simulated estate changes over time, as a real one does between two scans.

Each step, in every subscription: a storage account is created, the tags of a few resources are
changed, and a resource nothing refers to is deleted (one that an earlier step created first).
Steps are deterministic: step ``n`` of a seed always makes the same changes to the same estate.

A running simulator takes a step when a new Resource Graph query starts (not a further page of
one) and ``interval`` seconds have passed since the last step: at most one step per scan, so a
long pause never piles up changes. ``Simulator.drift_step()`` or ``POST /_simulator/drift``
takes one at once. Drift is off unless a seed is given.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cloudcanvas.simulator.environment import JSON, Environment
from cloudcanvas.simulator.shapes_paas import storage

OWNERS = tuple(f"{team}@contoso.com" for team in ("platform", "payments", "data", "web", "finance"))
STAGES = ("prod", "staging", "test", "dev")
STORAGE = "microsoft.storage/storageaccounts"
# Types deleted when nothing refers to them: leaves of the diagram, never networks.
REMOVABLE = (
    STORAGE,
    "microsoft.network/publicipaddresses",
    "microsoft.network/networksecuritygroups",
    "microsoft.documentdb/databaseaccounts",
    "microsoft.keyvault/vaults",
)


@dataclass(frozen=True)
class DriftStep:
    """What one step did: resource ids added, changed (tags) and removed."""

    number: int
    added: list[str]
    changed: list[str]
    removed: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.number,
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
        }


@dataclass
class Drift:
    """A seeded drift of one environment; ``interval`` seconds between automatic steps."""

    seed: int
    interval: float = 60.0
    steps: list[DriftStep] = field(default_factory=list)
    last: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def due(self, now: float | None = None) -> bool:
        moment = time.monotonic() if now is None else now
        return self.interval > 0 and moment - self.last >= self.interval

    def step(self, env: Environment) -> DriftStep:
        """Apply the next step to ``env`` (the caller holds the environment's lock)."""
        with self.lock:
            done = apply_step(env, self.seed, len(self.steps) + 1)
            self.steps.append(done)
            self.last = time.monotonic()
        return done


def apply_step(env: Environment, seed: int, number: int) -> DriftStep:
    """Step ``number`` of the drift seeded ``seed``: changes ``env`` in place and says how."""
    rng = random.Random(f"{seed}:{number}")
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    referenced = _referenced_ids(env.resources)
    for subscription in sorted(env.subscriptions, key=lambda s: s.subscription_id):
        prefix = f"/subscriptions/{subscription.subscription_id}/".lower()
        groups = sorted(
            (g for g in env.resource_groups if g.id.lower().startswith(prefix)), key=lambda g: g.id
        )
        mine = [r for r in env.resources if str(r.get("id", "")).lower().startswith(prefix)]
        if not groups or not mine:
            continue
        gone = _removable(mine, referenced, rng)
        if gone is not None:
            env.resources.remove(gone)
            removed.append(str(gone["id"]))
            mine.remove(gone)
        for resource in rng.sample(mine, min(2, len(mine))):
            _retag(resource, rng)
            changed.append(str(resource["id"]))
        group = rng.choice(groups)
        name = f"stdrift{number:03d}{rng.getrandbits(24):06x}"
        rid = f"{group.id}/providers/Microsoft.Storage/storageAccounts/{name}"
        owner, stage = rng.choice(OWNERS), rng.choice(STAGES)
        env.resources.append(
            storage(rid, group.location, "StorageV2", None, {"owner": owner, "env": stage})
        )
        added.append(rid)
    env.touch()
    return DriftStep(number, added, changed, removed)


def _retag(resource: JSON, rng: random.Random) -> None:
    tags = dict(resource.get("tags") or {})
    current = tags.get("owner")
    tags["owner"] = rng.choice([o for o in OWNERS if o != current])
    resource["tags"] = tags


def _removable(mine: list[JSON], referenced: set[str], rng: random.Random) -> JSON | None:
    """A resource nothing refers to: one an earlier step created when there is one."""
    candidates = [
        r
        for r in mine
        if str(r.get("type", "")).lower() in REMOVABLE
        and str(r.get("id", "")).lower() not in referenced
    ]
    drifted = [r for r in candidates if str(r.get("name", "")).startswith("stdrift")]
    pool = drifted or candidates
    return rng.choice(pool) if pool else None


def _referenced_ids(resources: list[JSON]) -> set[str]:
    """Every resource id that another resource mentions (lower-cased)."""
    found: set[str] = set()
    for resource in resources:
        own = str(resource.get("id", "")).lower()
        for text in _strings(resource.get("properties")):
            lowered = text.lower()
            if lowered.startswith("/subscriptions/") and lowered != own:
                found.add(lowered)
                # A child's id (a subnet, an ip configuration) refers to its parent too.
                parts = lowered.split("/")
                for end in range(9, len(parts), 2):
                    found.add("/".join(parts[:end]))
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
