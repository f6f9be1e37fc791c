"""The legend: the symbols a drawing holds, each with its type's name, in a box under the drawing.

Drawn in the SVG (``legend=true``) and, from that same SVG fragment, in PNG and PDF, so every
format shows one legend. The symbols come from ``shapes``, the names from ``TYPE_NAMES`` (the
component id, made readable, for the rest). The viewer's legend panel asks ``kinds_in`` for the
same names with their counts, and ``symbol_svg`` for each symbol as the view draws it.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from cloudcanvas.diagram.filter import apply_filter, parse_filter
from cloudcanvas.diagram.grouping import container_level
from cloudcanvas.diagram.layout import Layout
from cloudcanvas.diagram.model import Graph
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.shapes import FLAT, FOOT, flat_symbol, iso, iso_symbol
from cloudcanvas.diagram.style import FAMILY_RANK, THEMES, Theme, family_of

ENTRY_W = 200.0  # drawing units per column
ROW_H = 34.0
HEAD = 34.0  # the title line
PAD = 14.0
MIN_W = ENTRY_W + 2 * PAD + 24  # the narrowest drawing still gets one column

TYPE_NAMES = {
    "azurevm": "Virtual machine",
    "azurevmss": "Scale set",
    "azureaks": "AKS cluster",
    "azuredisk": "Managed disk",
    "azurenic": "Network interface",
    "azurevnet": "Virtual network",
    "azuresubnet": "Subnet",
    "azurensg": "Network security group",
    "azurelb": "Load balancer",
    "azurepublicip": "Public IP address",
    "azureappgw": "Application gateway",
    "azurefrontdoor": "Front Door",
    "azurevpngateway": "VPN gateway",
    "azurebastion": "Bastion",
    "azureprivateendpoint": "Private endpoint",
    "azurenatgateway": "NAT gateway",
    "azureroutetable": "Route table",
    "azurefirewall": "Firewall",
    "azurefirewallpolicy": "Firewall policy",
    "azuredns": "DNS zone",
    "azureprivatedns": "Private DNS zone",
    "azurevirtualwan": "Virtual WAN",
    "azurevirtualhub": "Virtual hub",
    "azurehubconnection": "Hub connection",
    "azurevwanvpngateway": "Virtual WAN VPN gateway",
    "azureexpressroutegateway": "ExpressRoute gateway",
    "azureexpressroute": "ExpressRoute circuit",
    "azureddosplan": "DDoS protection plan",
    "azureprivatelinkservice": "Private Link service",
    "azureappserviceplan": "App Service plan",
    "azurewebapp": "Web app",
    "azurefunctionapp": "Function app",
    "azuresqlserver": "SQL server",
    "azuresql": "SQL database",
    "azurepostgresql": "PostgreSQL server",
    "azuremysql": "MySQL server",
    "azurecosmosdb": "Cosmos DB",
    "azureredis": "Redis cache",
    "azureblob": "Blob storage",
    "azurekeyvault": "Key vault",
    "azuresbnamespace": "Service Bus",
    "azureeventhub": "Event Hubs",
    "azureloganalytics": "Log Analytics",
    "azurecontainerregistry": "Container registry",
    # the rest of the inventory's catalogue (``inventory/types.py``; a test keeps them in step)
    "azureresource": "Other Azure resource",
    "azureakspool": "AKS node pool",
    "azureaksworkload": "AKS workload",
    "azurecontainerinstance": "Container instance",
    "azurecontainerapp": "Container app",
    "azurecontainerappenv": "Container Apps environment",
    "azureavailabilityset": "Availability set",
    "azuregallery": "Compute gallery",
    "azureimage": "VM image",
    "azuresnapshot": "Disk snapshot",
    "azurevmextension": "VM extension",
    "azurediskencryptionset": "Disk encryption set",
    "azureasg": "Application security group",
    "azureipgroup": "IP group",
    "azurelocalgateway": "Local network gateway",
    "azurevpnconnection": "Gateway connection",
    "azurepublicipprefix": "Public IP prefix",
    "azureprivatednslink": "Private DNS zone link",
    "azurenetworkwatcher": "Network Watcher",
    "azuretrafficmanager": "Traffic Manager profile",
    "azurecdn": "CDN / Front Door profile",
    "azurewafpolicy": "WAF policy",
    "azuremanagedidentity": "Managed identity",
    "azurewebappslot": "Deployment slot",
    "azurestaticwebapp": "Static web app",
    "azurelogicapp": "Logic app",
    "azureapim": "API Management",
    "azuresignalr": "SignalR service",
    "azuresqlelasticpool": "SQL elastic pool",
    "azuresqlmi": "SQL managed instance",
    "azuremariadb": "MariaDB server",
    "azurestorage": "Storage account",
    "azurefiles": "File share",
    "azuretable": "Table",
    "azurestoragequeue": "Storage queue",
    "azurenetapp": "NetApp account",
    "azurebackupvault": "Backup vault",
    "azurerecoveryvault": "Recovery Services vault",
    "azuresbqueue": "Service Bus queue",
    "azuresbtopic": "Service Bus topic",
    "azureeventhubentity": "Event hub",
    "azureeventgrid": "Event Grid topic",
    "azureeventgridsystem": "Event Grid system topic",
    "azuredatafactory": "Data factory",
    "azureappinsights": "Application Insights",
    "azureautomation": "Automation account",
    "azureactiongroup": "Action group",
    "azuremetricalert": "Metric alert",
    "azuremonitor": "Monitor",
    "azureaiservices": "Azure AI services account",
    "azuresynapse": "Synapse workspace",
    "azuredatabricks": "Databricks workspace",
}


def name_of(component: str) -> str:
    if component in TYPE_NAMES:
        return TYPE_NAMES[component]
    bare = component.removeprefix("azure") or component
    return bare[:1].upper() + bare[1:]


def entries(lay: Layout) -> list[tuple[str, str]]:
    """The (component, family) pairs drawn, by family then name."""
    kinds = {(p.node.component, family_of(p.node.family)) for p in lay.nodes}
    return sorted(kinds, key=lambda k: (FAMILY_RANK.get(k[1], 99), name_of(k[0]).lower()))


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of thing a view draws and how many of it: a block type, or a type drawn as an
    area around others (``area``: the group kind, ``vnet`` or ``subnet``, whose plate it is)."""

    component: str
    family: str
    name: str
    count: int
    area: str = ""


def kinds_in(graph: Graph, opts: RenderOptions) -> list[Kind]:
    """What a view of ``graph`` draws with ``opts`` (its filter, exclusions and grouping), counted
    from the graph, not from a layout: the blocks in the export legend's order, then the areas."""
    expr = parse_filter(opts.filter) if opts.filter and opts.filter.strip() else None
    shown = apply_filter(graph, expr, opts.exclude)
    counts = Counter(
        (node.component, family_of(node.family), container_level(node, opts.group_by) or "")
        for node in shown.nodes
    )
    order = sorted(
        counts,
        key=lambda k: (k[2] != "", FAMILY_RANK.get(k[1], 99), name_of(k[0]).lower(), k[0], k[2]),
    )
    return [Kind(c, f, name_of(c), counts[(c, f, area)], area) for c, f, area in order]


# The viewer's legend boxes, in drawing units: the tallest isometric block (a database, 1.4 high)
# and the 2D tile with its shadow; every symbol of one projection shares its box and its scale.
ISO_BOX = (-34.0, -22.0, 68.0, 56.0)
FLAT_BOX = (-2.0, -2.0, 45.0, 45.0)


def symbol_svg(kind: Kind, opts: RenderOptions, symbol_id: str) -> str:
    """A kind's symbol as the view draws it, as a standalone ``<svg>``: a block in the view's
    projection, or an area's plate in the view's theme."""
    flat = opts.projection == "2d"
    box = FLAT_BOX if flat else ISO_BOX
    if kind.area:
        body = _plate(kind.area, opts)
    else:
        make = flat_symbol if flat else iso_symbol
        body = make(symbol_id, kind.component, kind.family)
    view = " ".join(f"{n:g}" for n in box)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view}" width="{box[2]:g}" '
        f'height="{box[3]:g}" aria-hidden="true" focusable="false">{body}</svg>'
    )


def _plate(group_kind: str, opts: RenderOptions) -> str:
    """An area's plate, as the drawing paints its groups (``svg._groups``), 2x2 grid units."""
    theme = THEMES.get(opts.theme, THEMES["light"])
    fill, stroke, _ink = theme.plates.get(group_kind, theme.plates["region"])
    if opts.projection == "2d":
        side = FOOT * FLAT
        shape = f'<rect x="1" y="1" width="{side - 2:g}" height="{side - 2:g}" rx="3"'
    else:
        corners = [iso(0, 0), iso(FOOT, 0), iso(FOOT, FOOT), iso(0, FOOT)]
        points = " ".join(f"{x:g},{y:g}" for x, y in corners)
        shape = f'<polygon points="{points}"'
    return f'{shape} fill="{fill}" stroke="{stroke}" stroke-width="2"/>'


def _columns(width: float) -> int:
    return max(1, int((width - 2 * PAD) // ENTRY_W))


def height_for(lay: Layout, width: float) -> float:
    """The room the legend takes under a drawing ``width`` wide (0: nothing drawn)."""
    count = len(entries(lay))
    if not count:
        return 0.0
    return HEAD + math.ceil(count / _columns(width)) * ROW_H + PAD


def svg_legend(
    lay: Layout, opts: RenderOptions, theme: Theme, x: float, y: float, width: float
) -> str:
    """The legend's SVG, its top-left corner at (x, y), ``width`` wide."""
    kinds = entries(lay)
    if not kinds:
        return ""
    columns = _columns(width)
    height = height_for(lay, width)
    make = flat_symbol if opts.projection == "2d" else iso_symbol
    # A symbol is ~40 units wide (2D: from its corner; isometric: around its origin).
    at = (4.0, 4.0, 0.6) if opts.projection == "2d" else (20.0, 14.0, 0.5)
    out = [
        f'<g class="legend" transform="translate({x:.0f} {y:.0f})" font-size="11">',
        "<defs>",
        *(make(f"legend-{i}", component, family) for i, (component, family) in enumerate(kinds)),
        "</defs>",
        f'<rect width="{width:.0f}" height="{height - PAD / 2:.0f}" rx="6" '
        f'fill="{theme.background}" stroke="{theme.grid}" stroke-width="1.5"/>',
        f'<text x="{PAD:.0f}" y="22" font-weight="bold" fill="{theme.text}">Legend</text>',
    ]
    for i, (component, _family) in enumerate(kinds):
        cx = PAD + (i % columns) * ENTRY_W
        cy = HEAD + (i // columns) * ROW_H
        out.append(
            f'<use href="#legend-{i}" transform="translate({cx + at[0]:.1f} {cy + at[1]:.1f}) '
            f'scale({at[2]})"/>'
            f'<text x="{cx + 40:.0f}" y="{cy + 18:.0f}" fill="{theme.text}" '
            f"data-component={quoteattr(component)}>{escape(name_of(component))}</text>"
        )
    out.append("</g>")
    return "".join(out)
