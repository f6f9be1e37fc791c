"""The look: family colours and shapes, our own icon glyphs, and the two themes.

Glyphs are drawn by us on a 24x24 box as stroke paths (no third-party icon set, nothing to
attribute). Each component gets one glyph; unknown components fall back to their family's glyph.
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = (
    "compute",
    "containers",
    "web",
    "network",
    "security",
    "database",
    "storage",
    "integration",
    "management",
    "other",
)
FAMILY_RANK = {family: rank for rank, family in enumerate(FAMILIES)}

# Base colour and 3D shape per family: the shape alone tells the family at a glance.
FAMILY_COLOR = {
    "compute": "#f08c2e",
    "containers": "#3f6ad8",
    "web": "#14a3c7",
    "network": "#8a5cd6",
    "security": "#d8434b",
    "database": "#2b7bd6",
    "storage": "#3aa655",
    "integration": "#d9a21b",
    "management": "#66788a",
    "other": "#98a3ae",
}
# shape, height (grid units)
FAMILY_SHAPE: dict[str, tuple[str, float]] = {
    "compute": ("box", 1.3),
    "containers": ("cluster", 0.8),
    "web": ("box", 0.9),
    "network": ("box", 0.35),
    "security": ("octagon", 0.9),
    "database": ("cylinder", 1.4),
    "storage": ("cylinder", 0.7),
    "integration": ("hexagon", 0.8),
    "management": ("box", 0.6),
    "other": ("box", 0.8),
}

_CYLINDER = (
    "M4 6c0-2.7 16-2.7 16 0v12c0 2.7-16 2.7-16 0z M4 6c0 2.7 16 2.7 16 0 M4 12c0 2.7 16 2.7 16 0"
)
_CIRCLE = "M3 12a9 9 0 1 0 18 0a9 9 0 1 0-18 0"
GLYPHS: dict[str, str] = {
    "vm": "M3 4h18v12H3z M8 20h8 M12 16v4",
    "vmss": "M7 2h14v10 M3 6h14v10H3z M6 20h8 M10 16v4",
    "aks": "M12 2l9 5v10l-9 5-9-5V7z M12 7v10 M7.7 9.5l8.6 5 M16.3 9.5l-8.6 5",
    "disk": _CIRCLE + " M10.5 12a1.5 1.5 0 1 0 3 0a1.5 1.5 0 1 0-3 0",
    "nic": "M4 8h16v11H4z M8 8V5h8v3 M8 12v3 M12 12v3 M16 12v3",
    "vnet": "M8 6l-6 6 6 6 M16 6l6 6-6 6 M9 12h.01 M12 12h.01 M15 12h.01",
    "subnet": "M3 3h8v8H3z M13 3h8v8h-8z M3 13h8v8H3z M13 13h8v8h-8z",
    "shield": "M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z M8.5 12l2.5 2.5 4.5-5",
    "lb": "M9 2h6v5H9z M12 7v4 M5 11h14 M5 11v5 M12 11v5 M19 11v5 M3 16h4v5H3z M10 16h4v5h-4z"
    " M17 16h4v5h-4z",
    "globe": _CIRCLE + " M3 12h18 M12 3c3.5 3 3.5 15 0 18 M12 3c-3.5 3-3.5 15 0 18",
    "gateway": "M3 21V9l9-6 9 6v12 M8 21v-6h8v6 M3 12h18",
    "lock": "M5 11h14v10H5z M8 11V7a4 4 0 0 1 8 0v4 M12 15v2",
    "tower": "M5 21V8h3V5h3v3h2V5h3v3h3v13z M10 21v-5h4v5",
    "link": "M9 15l6-6 M10 6l2-2a4.24 4.24 0 0 1 6 6l-2 2 M14 18l-2 2a4.24 4.24 0 0 1-6-6l2-2",
    "nat": "M3 12h12 M11 7l5 5-5 5 M20 4v16",
    "route": "M3 4h18v16H3z M3 9h18 M9 9v11",
    "firewall": "M3 5h18v14H3z M3 9.7h18 M3 14.3h18 M9 5v4.7 M15 5v4.7 M6 9.7v4.6 M12 9.7v4.6"
    " M18 9.7v4.6 M9 14.3V19 M15 14.3V19",
    "dns": "M12 3v18 M5 5h12l3 3-3 3H5z M19 13H7l-3 3 3 3h12z",
    "plan": "M4 4h16v6H4z M4 14h16v6H4z M7 7h.01 M7 17h.01",
    "webapp": "M3 4h18v16H3z M3 8h18 M6 6h.01 M8.5 6h.01 M7 13l3 2-3 2 M12 17h5",
    "function": "M13 2L4 14h7l-1 8 9-12h-7z",
    "database": _CYLINDER,
    "table": "M3 5h18v14H3z M3 9.7h18 M3 14.3h18 M9 5v14 M15 5v14",
    "cosmos": "M10 12a2 2 0 1 0 4 0a2 2 0 1 0-4 0 M2 12a10 4 0 1 0 20 0a10 4 0 1 0-20 0",
    "cache": "M4 8l8-4 8 4-8 4z M4 12l8 4 8-4 M4 16l8 4 8-4",
    "key": "M10 10a5 5 0 1 0 10 0a5 5 0 1 0-10 0 M11.5 13.5L3 22 M5 20l2 2 M7.5 17.5l2 2",
    "queue": "M3 6h18v12H3z M3 6l9 7 9-7",
    "cube": "M12 2l9 5v10l-9 5-9-5V7z M3 7l9 5 9-5 M12 12v10",
    "sliders": "M4 6h16 M4 12h16 M4 18h16 M8 4v4 M16 10v4 M10 16v4",
    "chart": "M3 3v18h18 M7 15l4-4 3 3 5-6",
    "registry": "M3 8l9-5 9 5v9l-9 5-9-5z M7 10h10 M7 14h10",
    "policy": "M6 3h9l4 4v14H6z M15 3v4h4 M9 13l2 2 4-4",
    "hub": "M9 12a3 3 0 1 0 6 0a3 3 0 1 0-6 0 M12 3v6 M12 15v6 M3 12h6 M15 12h6"
    " M5.6 5.6l4.3 4.3 M14.1 14.1l4.3 4.3",
    "wan": "M2 12a10 10 0 1 0 20 0a10 10 0 1 0-20 0 M5 8h14 M5 16h14 M12 2c-4 5-4 15 0 20",
    "plug": "M9 3v5 M15 3v5 M6 8h12v4a6 6 0 0 1-12 0z M12 18v3",
    "linksvc": "M3 3h18v18H3z M9 15l6-6 M10.5 8.5l1-1a3 3 0 0 1 4 4l-1 1"
    " M13.5 15.5l-1 1a3 3 0 0 1-4-4l1-1",
    "circuit": "M2 12h5l2-6 3 12 3-12 2 6h5",
    "er": "M4 4h16v16H4z M8 8h8 M8 12h6 M8 16h8 M8 8v8",
    "lockwan": "M5 11h14v10H5z M8 11V7a4 4 0 0 1 8 0v4 M9 16h6",
    "ddos": "M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z M7 12c1.5-2 3.5 2 5 0c1.5-2 3.5 2 5 0",
    "door": "M6 21V3h12v18 M3 21h18 M14 12h.01",
    "dnslock": "M12 3v6 M5 5h12l3 3-3 3H5z M7 14h10v7H7z M12 16.5v2",
}
COMPONENT_GLYPH = {
    "azurevm": "vm",
    "azurevmss": "vmss",
    "azureaks": "aks",
    "azureaksworkload": "aks",
    "azurecontainerregistry": "registry",
    "azurecontainerinstance": "cube",
    "azuredisk": "disk",
    "azurenic": "nic",
    "azurevnet": "vnet",
    "azuresubnet": "subnet",
    "azurensg": "shield",
    "azurelb": "lb",
    "azurepublicip": "globe",
    "azureappgw": "gateway",
    "azurefrontdoor": "gateway",
    "azurevpngateway": "lock",
    "azurebastion": "tower",
    "azureprivateendpoint": "link",
    "azurenatgateway": "nat",
    "azureroutetable": "route",
    "azurefirewall": "firewall",
    "azuredns": "dns",
    "azureprivatedns": "dns",
    "azureappserviceplan": "plan",
    "azurewebapp": "webapp",
    "azurefunctionapp": "function",
    "azuresqlserver": "database",
    "azuresql": "database",
    "azurepostgresql": "database",
    "azuremysql": "database",
    "azurecosmosdb": "cosmos",
    "azureredis": "cache",
    "azureblob": "table",
    "azurefiles": "table",
    "azuretable": "table",
    "azurekeyvault": "key",
    "azuresbnamespace": "queue",
    "azuresbqueue": "queue",
    "azuresbtopic": "queue",
    "azureeventhub": "queue",
    "azureloganalytics": "chart",
    "azuremonitor": "chart",
    # modern networking (issue 13)
    "azurevirtualwan": "globe",
    "azurevirtualhub": "gateway",
    "azurehubconnection": "link",
    "azurevwanvpngateway": "lock",
    "azureexpressroutegateway": "lock",
    "azureexpressroute": "route",
    "azurefirewallpolicy": "shield",
    "azureddosplan": "shield",
    "azureprivatelinkservice": "link",
}


@dataclass(frozen=True, slots=True)
class Symbol:
    """How a resource type is drawn, the same in 2D and isometric: the footprint's shape (box,
    octagon, hexagon, cylinder, cluster), its height (isometric), its colour and its glyph."""

    shape: str
    height: float
    color: str
    glyph: str


# Network and security types that shared one purple box (issue 13): each its own shape, colour
# and glyph, so a subnet, a public IP, a route table, a NAT gateway and an NSG never look alike.
COMPONENT_SYMBOL: dict[str, Symbol] = {
    "azuresubnet": Symbol("box", 0.2, "#7fa7e0", "subnet"),
    "azurepublicip": Symbol("cylinder", 0.5, "#0f9d8a", "globe"),
    "azureroutetable": Symbol("box", 0.35, "#6b7f2a", "route"),
    "azurenatgateway": Symbol("hexagon", 0.6, "#c2569b", "nat"),
    "azurensg": Symbol("octagon", 0.5, "#d8434b", "shield"),
    "azurefirewall": Symbol("box", 1.0, "#b3261e", "firewall"),
    "azurefirewallpolicy": Symbol("octagon", 0.3, "#e07a5f", "policy"),
    "azurevirtualwan": Symbol("cylinder", 0.35, "#4b3fa8", "wan"),
    "azurevirtualhub": Symbol("hexagon", 0.9, "#6a4fc9", "hub"),
    "azurehubconnection": Symbol("box", 0.25, "#9b8ae0", "plug"),
    "azureprivatedns": Symbol("box", 0.45, "#2a9d8f", "dnslock"),
    "azuredns": Symbol("box", 0.45, "#3d8bfd", "dns"),
    "azureprivateendpoint": Symbol("cylinder", 0.3, "#1f78b4", "link"),
    "azureprivatelinkservice": Symbol("hexagon", 0.4, "#33a1c9", "linksvc"),
    "azureexpressroute": Symbol("box", 0.35, "#8c564b", "circuit"),
    "azureexpressroutegateway": Symbol("box", 0.9, "#a0522d", "er"),
    "azurevpngateway": Symbol("box", 0.9, "#5a4fcf", "lock"),
    "azurevwanvpngateway": Symbol("box", 0.9, "#7b68ee", "lockwan"),
    "azurebastion": Symbol("box", 1.1, "#2e7d32", "tower"),
    "azurelb": Symbol("box", 0.5, "#1565c0", "lb"),
    "azureappgw": Symbol("box", 0.8, "#00838f", "gateway"),
    "azurefrontdoor": Symbol("box", 0.8, "#00695c", "door"),
    "azureddosplan": Symbol("octagon", 0.4, "#ad1457", "ddos"),
    "azurenic": Symbol("box", 0.3, "#9e7fd8", "nic"),
    "azurevnet": Symbol("box", 0.35, "#8a5cd6", "vnet"),
}

FAMILY_GLYPH = {
    "compute": "vm",
    "containers": "aks",
    "web": "webapp",
    "network": "vnet",
    "security": "shield",
    "database": "database",
    "storage": "table",
    "integration": "queue",
    "management": "sliders",
    "other": "cube",
}


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    background: str
    grid: str
    text: str
    text_halo: str
    edge: str
    plates: dict[str, tuple[str, str, str]]  # group kind -> (fill, stroke, label colour)


THEMES = {
    "light": Theme(
        name="light",
        background="#f3f6f9",
        grid="#dde4ec",
        text="#1f2a37",
        text_halo="#ffffff",
        edge="#56657a",
        plates={
            "subscription": ("#f7f9fb", "#8a9bb0", "#2f3d4d"),
            "region": ("#ffffff", "#b8c4d1", "#4a5a6c"),
            "vnet": ("#e2f2e6", "#6fb884", "#2e7a48"),
            "subnet": ("#e3edfb", "#7fa7e0", "#2d5ea8"),
            "resourcegroup": ("#f1eafa", "#a88bd3", "#6a46a3"),
            "services": ("#fcf2df", "#d9ad5c", "#8a6316"),
        },
    ),
    "dark": Theme(
        name="dark",
        background="#111923",
        grid="#1d2936",
        text="#e3e9f0",
        text_halo="#111923",
        edge="#93a4b8",
        plates={
            "subscription": ("#141d27", "#4d5f75", "#b6c4d4"),
            "region": ("#18222e", "#3a4a5d", "#9fb0c3"),
            "vnet": ("#15322a", "#2f8a5a", "#7fd6a0"),
            "subnet": ("#162945", "#3b6db3", "#8fb8f0"),
            "resourcegroup": ("#281f3b", "#7656b0", "#c3a8ef"),
            "services": ("#33290f", "#a07a28", "#f0c670"),
        },
    ),
}


def family_of(family: str) -> str:
    return family if family in FAMILY_COLOR else "other"


def glyph_for(component: str, family: str) -> str:
    return GLYPHS[symbol_of(component, family).glyph]


def symbol_of(component: str, family: str) -> Symbol:
    """The symbol of a resource type: its own where it has one, else its family's."""
    own = COMPONENT_SYMBOL.get(component)
    if own is not None:
        return own
    fam = family_of(family)
    shape, height = FAMILY_SHAPE[fam]
    glyph = COMPONENT_GLYPH.get(component, FAMILY_GLYPH[fam])
    return Symbol(shape, height, FAMILY_COLOR[fam], glyph)


def shade(color: str, factor: float) -> str:
    """Darken (factor < 1) or lighten (factor > 1) a #rrggbb colour."""
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    if factor <= 1:
        mixed = [round(c * factor) for c in channels]
    else:
        mixed = [round(c + (255 - c) * (factor - 1)) for c in channels]
    return "#" + "".join(f"{min(255, max(0, c)):02x}" for c in mixed)
