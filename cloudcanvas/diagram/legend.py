"""The legend: the symbols a drawing holds, each with its type's name, in a box under the drawing.

Drawn in the SVG (``legend=true``) and, from that same SVG fragment, in PNG and PDF, so every
format shows one legend. The symbols come from ``shapes``, the names from ``TYPE_NAMES`` (the
component id, made readable, for the rest).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape, quoteattr

from cloudcanvas.diagram.layout import Layout
from cloudcanvas.diagram.options import RenderOptions
from cloudcanvas.diagram.shapes import flat_symbol, iso_symbol
from cloudcanvas.diagram.style import FAMILY_RANK, Theme, family_of

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
    "azureblob": "Storage account",
    "azurekeyvault": "Key vault",
    "azuresbnamespace": "Service Bus",
    "azureeventhub": "Event Hubs",
    "azureloganalytics": "Log Analytics",
    "azurecontainerregistry": "Container registry",
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
