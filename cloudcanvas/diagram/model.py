"""What the diagram package draws: a graph of nodes and edges, independent of Azure and storage.

``inventory`` builds a ``Graph`` from a snapshot (one location, or all); ``diagram`` lays it out and
renders it. Everything here is plain immutable data so that the same graph always gives the same
picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Node:
    """One Azure resource (or a container such as a VNet or subnet) to draw."""

    key: str  # lowercased ARM id: the stable identity
    resource_id: str  # the ARM id exactly as Azure returned it
    name: str
    component: str  # Cloudcraft component type id ("azurevm") or ours ("azurekeyvault")
    family: str  # visual family: compute, network, storage, database, web, security, ...
    arm_type: str  # lowercase ARM type, "microsoft.compute/virtualmachines"
    location: str  # Azure short name, lowercase ("eastus"), or "global"
    subscription_id: str
    resource_group: str
    vnet: str | None = None  # key of the VNet the resource sits in (a VNet: its own key)
    subnet: str | None = None  # key of the subnet the resource sits in (a subnet: its own key)
    tags: Mapping[str, str] = field(default_factory=dict)
    properties: Mapping[str, str] = field(default_factory=dict)  # key facts, display-ready
    ip_addresses: Sequence[str] = ()  # private and public IPs (searchable by the filter)
    color: str = ""  # a blueprint block's own colour, "#rrggbb"; empty: its family's


@dataclass(frozen=True, slots=True)
class Edge:
    """A relation worth drawing (autoconnect): NIC→VM, LB→backend, private endpoint→target..."""

    source: str  # Node.key
    target: str  # Node.key
    kind: str  # "attached", "backend", "private-link", "peering", "hosts", ...


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: Sequence[Node]
    edges: Sequence[Edge] = ()
    # lowercased subscription id → display name, for the labels of the subscription level
    subscriptions: Mapping[str, str] = field(default_factory=dict)
