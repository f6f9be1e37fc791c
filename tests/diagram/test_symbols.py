"""Each network and security type has a symbol of its own (shape, colour, glyph), the same in 2D
and isometric, so a subnet, a public IP, a route table, a NAT gateway and an NSG never look alike."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from cloudcanvas.diagram.shapes import flat_symbol, iso_symbol
from cloudcanvas.diagram.style import GLYPHS, symbol_of

NETWORK = [
    "azuresubnet", "azurepublicip", "azureroutetable", "azurenatgateway", "azurensg",
    "azurefirewall", "azurefirewallpolicy", "azurevirtualwan", "azurevirtualhub",
    "azureprivatedns", "azureprivateendpoint", "azureexpressroute", "azureexpressroutegateway",
    "azurevpngateway", "azurebastion", "azurelb", "azureappgw", "azureddosplan",
    "azureprivatelinkservice", "azurehubconnection", "azurevwanvpngateway", "azurefrontdoor",
]  # fmt: skip


def test_every_pair_of_network_types_differs_in_glyph_and_colour():
    symbols = {c: symbol_of(c, "network") for c in NETWORK}
    for a, b in itertools.combinations(NETWORK, 2):
        assert symbols[a].glyph != symbols[b].glyph, (a, b)
        assert symbols[a].color != symbols[b].color, (a, b)
    assert len({s.shape for s in symbols.values()}) >= 4  # not all boxes


@pytest.mark.parametrize("component", NETWORK)
def test_each_draws_in_both_projections_with_its_own_glyph_and_colour(component):
    symbol = symbol_of(component, "network")
    for make in (iso_symbol, flat_symbol):
        svg = make("s", component, "network")
        ET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{svg}</svg>')
    flat = flat_symbol("s", component, "network")
    assert symbol.color in flat
    assert ("polygon" in flat) == (symbol.shape in ("octagon", "hexagon"))
    assert GLYPHS[symbol.glyph]


def test_types_without_their_own_symbol_keep_their_familys():
    vm = symbol_of("azurevm", "compute")
    assert (vm.shape, vm.glyph) == ("box", "vm")
    assert symbol_of("unknownthing", "nosuchfamily").glyph == "cube"


def test_no_two_isometric_symbols_are_drawn_the_same():
    drawn = [iso_symbol("s", c, "network") for c in NETWORK]
    assert len(set(drawn)) == len(NETWORK)
