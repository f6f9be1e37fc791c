"""A blueprint's free text labels (``text``, ``type: "isotext"``) are in every drawing: SVG, PNG
and PDF (where they stay text a reader can search)."""

import io

import pytest
from pypdf import PdfReader

from cloudcanvas.diagram.blueprint import render_document

DOC = {
    "projection": "2d",
    "nodes": [{"id": "a", "type": "azurevm", "mapPos": [0, 0], "name": "vm"}],
    "text": [
        {
            "id": "t1",
            "type": "isotext",
            "text": "Front door <edge>",
            "color": "#cc0000",
            "mapPos": [2, 6],
            "textSize": 40,
        }
    ],
}


def test_svg_has_the_text_escaped():
    svg = render_document(DOC, "svg").decode()
    assert "Front door &lt;edge&gt;" in svg and 'fill="#cc0000"' in svg


@pytest.mark.parametrize("projection", ["2d", "isometric"])
def test_pdf_keeps_the_text(projection):
    pdf = render_document(DOC | {"projection": projection}, "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Front door <edge>" in text
    without = render_document(DOC | {"projection": projection, "text": []}, "pdf")
    assert "Front door" not in PdfReader(io.BytesIO(without)).pages[0].extract_text()


def test_png_draws_the_text_in_its_colour():
    from PIL import Image

    def red_pixels(document):
        raw = Image.open(io.BytesIO(render_document(document, "png"))).convert("RGB").tobytes()
        pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
        return sum(1 for r, g, b in pixels if r > 180 and g < 60 and b < 60)

    assert red_pixels(DOC) > 100  # the label's glyphs, in #cc0000
    assert red_pixels(DOC | {"text": []}) == 0


def test_a_group_name_bound_as_a_text_is_drawn_once():
    """A snapshot's JSON binds each group's name as a text too; the group draws it already."""
    doc = {
        "projection": "2d",
        "nodes": [{"id": "a", "type": "azurevm", "mapPos": [2, 2], "name": "vm"}],
        "groups": [{"id": "g", "kind": "vnet", "name": "vnet-hub", "mapPos": [0, 0],
                    "mapSize": [8, 8], "nodes": ["a"]}],
        "text": [
            {"id": "t1", "text": "vnet-hub", "mapPos": [2, 1], "group": "g"},
            {"id": "t2", "text": "vnet-hub renamed", "mapPos": [2, 1], "group": "g"},
        ],
    }  # fmt: skip
    svg = render_document(doc, "svg").decode()
    assert svg.count(">vnet-hub<") == 1
    assert "vnet-hub renamed" in svg  # a text the user changed is theirs: drawn
