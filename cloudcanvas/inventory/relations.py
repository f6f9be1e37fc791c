"""Resolve the references the normalizers recorded into relations, parents and placements.

Every reference is matched on its lowercased ARM id (Azure writes the same id with different
casing in different places). A reference to a sub-resource (a NIC's IP configuration, a load
balancer's backend pool) climbs to the nearest resource of the inventory that holds it. A
reference that resolves to nothing is kept on its resource as a ``ref.<kind>`` property.
Everything is a single pass over dicts: no scan is quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cloudcanvas.inventory.families.base import Draft
from cloudcanvas.inventory.model import Relation
from cloudcanvas.inventory.types import SUBNET_TYPE

VNET_TYPE = "microsoft.network/virtualnetworks"
NIC_TYPE = "microsoft.network/networkinterfaces"
VM_TYPE = "microsoft.compute/virtualmachines"
# The relation from an ARM parent to its child, when it is not plain "contains".
PARENT_KINDS = {"microsoft.sql/servers/databases": "database"}
# Relations through which a resource uses a subnet that may be delegated to its service.
SUBNET_USES = frozenset({"subnet", "vnet-integration", "agent-pool"})


@dataclass(slots=True)
class Links:
    relations: list[Relation] = field(default_factory=list)
    parents: dict[str, str] = field(default_factory=dict)  # child key → parent key
    placements: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def climb(key: str, drafts: dict[str, Draft]) -> str | None:
    """The nearest ancestor of ``key`` (an ARM id, lowercased) that is in the inventory."""
    while True:
        cut = key.rfind("/")
        cut = key.rfind("/", 0, cut) if cut > 0 else -1
        if cut <= 0:
            return None
        key = key[:cut]
        if "/providers/" not in key:
            return None
        if key in drafts:
            return key


class _Resolver:
    def __init__(self, drafts: dict[str, Draft]) -> None:
        self.drafts = drafts
        self.by_ip: dict[str, list[str]] = {}
        self.by_host: dict[str, str] = {}
        for draft in drafts.values():
            for ip in draft.ips:
                self.by_ip.setdefault(ip, []).append(draft.key)
            for host in draft.hosts:
                self.by_host.setdefault(host, draft.key)

    def resolve(self, ref: str, climbing: bool, source: Draft) -> str | None:
        if ref.startswith("ip:"):
            return self._by_ip(ref[3:], source)
        if ref.startswith("host:"):
            return self.by_host.get(ref[5:])
        key = ref.lower().rstrip("/")
        if key in self.drafts:
            return key
        return climb(key, self.drafts) if climbing else None

    def _by_ip(self, ip: str, source: Draft) -> str | None:
        candidates = [key for key in self.by_ip.get(ip, ()) if key != source.key]
        if len(candidates) > 1 and source.subnet_ref:
            # Private addresses repeat across VNets: prefer the one in the source's own VNet.
            vnet = source.subnet_ref.lower().split("/subnets/")[0] + "/"
            candidates = [
                key
                for key in candidates
                if (self.drafts[key].subnet_ref or "").lower().startswith(vnet)
            ]
        if len(candidates) > 1:
            # A route table sits in no subnet: its appliance is the one in its own region.
            candidates = [k for k in candidates if self.drafts[k].location == source.location]
        if len(candidates) > 1:  # hubs of several subscriptions often reuse one address plan
            sub = source.subscription_id.lower()
            candidates = [k for k in candidates if self.drafts[k].subscription_id.lower() == sub]
        return candidates[0] if len(candidates) == 1 else None


# References already shown as a fact (a route's next-hop address): no ``ref.<kind>`` when unmatched.
SHOWN_AS_FACT = frozenset({"next-hop"})


def _unresolved(draft: Draft, kind: str, ref: str) -> None:
    if kind in SHOWN_AS_FACT:
        return
    shown = ref.split(":", 1)[1] if ref.startswith(("ip:", "host:")) else ref
    name = f"ref.{kind}"
    previous = draft.properties.get(name)
    if previous is None:
        draft.properties[name] = shown
    elif shown not in previous.split(", "):
        draft.properties[name] = f"{previous}, {shown}"


# Relations as (source, target, kind) in a dict: deduplicated, in a deterministic order.
Found = dict[tuple[str, str, str], None]


def _relations_of(drafts: dict[str, Draft], links: Links) -> Found:
    resolver = _Resolver(drafts)
    found: Found = {}
    for draft in drafts.values():
        own = draft.key
        if draft.arm_type.count("/") >= 2:
            parent = climb(own, drafts)
            if parent is not None:
                links.parents[own] = parent
                found[(parent, own, PARENT_KINDS.get(draft.arm_type, "contains"))] = None
        for kind, ref, outgoing, climbing in draft.refs:
            target: str | None = (
                ref.lower()
            )  # the common case first: an exact id, inlined for speed
            if target not in drafts:
                target = resolver.resolve(ref, climbing, draft)
            if target is None:
                _unresolved(draft, kind, ref)
            elif target != own:
                if kind == "peering":
                    found[(min(own, target), max(own, target), kind)] = None
                else:
                    found[(own, target, kind) if outgoing else (target, own, kind)] = None
    return found


def _derived(drafts: dict[str, Draft], found: Found) -> Found:
    """Relations that follow from others: backend NIC → its VM; subnet → delegated resource."""
    nic_vm = {
        source: target
        for source, target, kind in found
        if kind == "attached" and drafts[target].arm_type == VM_TYPE
    }
    delegated: dict[str, set[str]] = {}
    for key, draft in drafts.items():
        services = draft.properties.get("delegation")
        if draft.arm_type == SUBNET_TYPE and services:
            delegated[key] = {s.split("/")[0].lower() for s in services.split(", ")}
    for nic, vm in nic_vm.items():
        if drafts[nic].properties.get("ip forwarding") == "yes":  # a network virtual appliance
            drafts[vm].properties["appliance"] = "network virtual appliance (IP forwarding)"
    extra: Found = {}
    for source, target, kind in found:
        if kind == "next-hop" and target in nic_vm:  # the route's address is the NVA's NIC
            extra[(source, nic_vm[target], "next-hop")] = None
        elif kind == "backend" and target in nic_vm:
            extra[(source, nic_vm[target], "backend")] = None
        elif (
            kind in SUBNET_USES
            and target in delegated
            and drafts[source].arm_type.split("/")[0] in delegated[target]
        ):
            extra[(target, source, "delegation")] = None
    return extra


def _via(draft: Draft, drafts: dict[str, Draft]) -> str | None:
    """The resource whose placement this one shares (a disk's VM, or its scale set)."""
    if not draft.via_ref:
        return None
    via = draft.via_ref.lower().rstrip("/")
    return via if via in drafts else climb(via, drafts)


def _placements(drafts: dict[str, Draft], links: Links) -> None:
    vm_nic = {
        rel.target: rel.source
        for rel in links.relations
        if rel.kind == "attached" and drafts[rel.source].arm_type == NIC_TYPE
    }
    placements = links.placements

    def place(key: str, depth: int) -> tuple[str | None, str | None]:
        known = placements.get(key)
        if known is not None:
            return known
        draft = drafts[key]
        result: tuple[str | None, str | None] = (None, None)
        if draft.arm_type == VNET_TYPE:
            result = (key, None)
        elif draft.arm_type == SUBNET_TYPE:
            result = (links.parents.get(key), key)
        elif draft.subnet_ref is not None:
            subnet = draft.subnet_ref.lower().rstrip("/")
            if subnet in drafts and drafts[subnet].arm_type == SUBNET_TYPE:
                result = (links.parents.get(subnet), subnet)
        elif depth < 4:
            via = _via(draft, drafts) or vm_nic.get(key)
            if via is not None and via != key:
                result = place(via, depth + 1)
        placements[key] = result
        return result

    for key in drafts:
        place(key, 0)


def link(drafts: dict[str, Draft]) -> Links:
    """Resolve every draft's references: relations (sorted), parents and VNet/subnet placement."""
    links = Links()
    found = _relations_of(drafts, links)
    found.update(_derived(drafts, found))
    links.relations = [Relation(source, target, kind) for source, target, kind in found]
    _placements(drafts, links)
    return links
