"""The cost layer of an export: what each block costs, totals per group, a colour scale by cost
and a budget panel listing the top resources.

The diagram package prices nothing: the caller passes ``CostData`` (a plain mapping of resource
key → amount for a period, in a currency) through ``RenderOptions.cost``. The renderers call the
hooks here (``svg_layer``, ``paint_layer``, ``json_layer``, ``mx_node``/``mx_group``/``mx_panel``,
``panel_room`` for the frame); nothing else in the package knows about cost.

Everything drawn that came from Azure (names) goes through ``escape``/``quoteattr``.
"""

from __future__ import annotations

import bisect
import dataclasses
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from cloudcanvas.diagram.layout import PAD, Layout, PlacedGroup, PlacedNode
from cloudcanvas.diagram.model import Node
from cloudcanvas.diagram.shapes import FLAT, iso

if TYPE_CHECKING:
    from cloudcanvas.diagram.options import RenderOptions
    from cloudcanvas.diagram.style import Theme

# Cheapest to dearest fifth of the priced blocks (colour-blind safe enough: lightness rises too).
BAND_COLORS = ("#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828")
USAGE_COLOR = "#6b7a8c"
PERIOD_SHORT = {"h": "h", "d": "day", "w": "wk", "m": "mo", "y": "yr"}
PERIOD_WORD = {"h": "hour", "d": "day", "w": "week", "m": "month", "y": "year"}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
PANEL_W = 300.0  # drawing units at panel scale 1
PANEL_LINE = 16.0
NOTE_CHARS = 52  # a note line at 10 px in the panel's width
TOP = 10
DIMENSIONS = ("region", "vnet", "resourceGroup", "subscription")


@dataclass(frozen=True, slots=True)
class CostData:
    """Plain cost data for a drawing (hashable, so renderings stay cacheable by options).

    ``amounts``: resource key (lowercased ARM id, a blueprint node's key) → cost for the period;
    ``usage``: keys billed per unit of use (no quantity known); ``unpriced``: how many resources
    have no price; ``note``: where the prices came from and when, or why there are none."""

    amounts: tuple[tuple[str, float], ...] = ()
    currency: str = "USD"
    period: str = "m"
    usage: tuple[str, ...] = ()
    unpriced: int = 0
    note: str = ""

    @classmethod
    def of(
        cls,
        amounts: Mapping[str, float],
        *,
        currency: str = "USD",
        period: str = "m",
        usage: Iterable[str] = (),
        unpriced: int = 0,
        note: str = "",
    ) -> CostData:
        return cls(
            tuple(sorted((k.lower(), float(v)) for k, v in amounts.items())),
            currency,
            period,
            tuple(sorted({k.lower() for k in usage})),
            unpriced,
            note,
        )

    def by_key(self) -> dict[str, float]:
        return dict(self.amounts)


def money(amount: float, currency: str, period: str | None = None) -> str:
    """``$1,234.56/mo``; whole units for yen; the ISO code where there is no common symbol."""
    digits = 0 if currency == "JPY" else 2
    number = f"{amount:,.{digits}f}"
    symbol = SYMBOLS.get(currency)
    text = f"{symbol}{number}" if symbol else f"{number} {currency}"
    return f"{text}/{PERIOD_SHORT[period]}" if period else text


def band_of(amounts: Iterable[float]) -> Any:
    """A function cost → band 0..4: the fifth of the positive costs the cost falls in."""
    values = sorted(v for v in amounts if v > 0)

    def band(cost: float) -> int:
        if not values:
            return 0
        return min(4, bisect.bisect_left(values, cost) * 5 // len(values))

    return band


@dataclass(frozen=True, slots=True)
class Summary:
    """What the layer draws, computed once per rendering."""

    node_cost: dict[str, float]  # placed node id → cost (drawn blocks with a price)
    usage: frozenset[str]  # placed node ids billed by use
    group_cost: dict[str, float]  # placed group id → total of everything inside it
    total: float
    band: Any
    top: list[tuple[str, str, float]]  # (name, type, cost), dearest first
    dimensions: dict[str, dict[str, float]]  # region/vnet/resourceGroup/subscription → totals


def summarize(lay: Layout, cost: CostData) -> Summary:
    amounts = cost.by_key()
    usage_keys = set(cost.usage)
    node_cost: dict[str, float] = {}
    usage: set[str] = set()
    charged: dict[str, tuple[Node, float]] = {}  # key → node, cost (a key drawn twice counts once)
    for placed in lay.nodes:
        key = placed.node.key
        if key in amounts:
            node_cost[placed.id] = amounts[key]
            charged[key] = (placed.node, amounts[key])
        elif key in usage_keys:
            usage.add(placed.id)
    groups = {g.id: g for g in lay.groups}
    for group in lay.groups:  # a VNet drawn as a container may have a cost of its own
        if group.node is not None and group.node.key in amounts:
            charged[group.node.key] = (group.node, amounts[group.node.key])
    group_cost = dict.fromkeys(groups, 0.0)
    for placed in lay.nodes:
        _add_up(groups, group_cost, placed.group, node_cost.get(placed.id, 0.0))
    # A blueprint's blocks belong to no group: a group holds the blocks drawn inside it.
    loose = [p for p in lay.nodes if p.group is None and node_cost.get(p.id)]
    for group in lay.groups if loose else ():
        x1, y1 = group.x + group.w, group.y + group.h
        group_cost[group.id] += sum(
            node_cost[p.id] for p in loose if group.x <= p.x < x1 and group.y <= p.y < y1
        )
    for group in lay.groups:
        if group.node is not None and group.node.key in amounts:
            _add_up(groups, group_cost, group.id, amounts[group.node.key])
    ranked = sorted(charged.values(), key=lambda item: (-item[1], item[0].name, item[0].key))
    return Summary(
        node_cost=node_cost,
        usage=frozenset(usage),
        group_cost=group_cost,
        total=sum(c for _, c in charged.values()),
        band=band_of(node_cost.values()),
        top=[(n.name, n.component, c) for n, c in ranked[:TOP] if c > 0],
        dimensions=dimension_totals(charged.values()),
    )


def _add_up(
    groups: Mapping[str, PlacedGroup], totals: dict[str, float], start: str | None, amount: float
) -> None:
    group_id = start
    while group_id is not None and group_id in groups:
        totals[group_id] += amount
        group_id = groups[group_id].parent


def dimension_totals(charged: Iterable[tuple[Node, float]]) -> dict[str, dict[str, float]]:
    """Totals per region, VNet (its name), resource group and subscription, dearest first."""
    out: dict[str, dict[str, float]] = {name: {} for name in DIMENSIONS}
    for node, amount in charged:
        for name, value in (
            ("region", node.location or "(none)"),
            ("vnet", (node.vnet or "").rsplit("/", 1)[-1] or "(no network)"),
            ("resourceGroup", node.resource_group or "(none)"),
            ("subscription", node.subscription_id or "(none)"),
        ):
            out[name][value] = out[name].get(value, 0.0) + amount
    return {
        name: {k: round(v, 2) for k, v in sorted(totals.items(), key=lambda i: (-i[1], i[0]))}
        for name, totals in out.items()
    }


# ---- the frame and the panel ----


def _panel_lines(cost: CostData, summary: Summary) -> list[tuple[str, str]]:
    """(style, text) lines of the budget panel."""
    word = PERIOD_WORD[cost.period]
    lines = [("title", f"Estimated cost per {word} ({cost.currency})")]
    lines.append(("total", f"Total {money(summary.total, cost.currency, cost.period)}"))
    notes = [cost.note] if cost.note else []
    if cost.usage or cost.unpriced:
        notes.append(f"+ {len(cost.usage)} usage-based, {cost.unpriced} unpriced")
    notes.append("")  # the colour scale
    notes.append("colour: cheapest … dearest fifth of the priced blocks")
    for note in notes:
        if not note:
            lines.append(("legend", ""))
        lines += [("note", part) for part in textwrap.wrap(note, NOTE_CHARS)[:6]]
    lines.append(("head", "Top resources"))
    lines += [("row", f"{name}\t{money(amount, cost.currency)}") for name, _, amount in summary.top]
    if not summary.top:
        lines.append(("note", "No priced resource is drawn."))
    regions = list(summary.dimensions["region"].items())[:5]
    if regions:
        lines.append(("head", "By region"))
        lines += [("row", f"{name}\t{money(amount, cost.currency)}") for name, amount in regions]
    return lines


def _panel_scale(w: float, h: float) -> float:
    return max(1.0, max(w, h) / 1600.0)


def panel_room(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The drawing's viewBox (x, y, w, h) widened on the right for the budget panel."""
    x, y, w, h = box
    s = _panel_scale(w, h)
    panel_h = (PANEL_LINE * (TOP + 24) + 16) * s  # the most lines a panel has
    return x, y, w + (PANEL_W + 32) * s, max(h, panel_h + 32 * s)


def _panel_origin(lay: Layout, opts: RenderOptions) -> tuple[float, float, float]:
    """Where the panel goes (top-left) and its scale: right of the drawing without the panel."""
    from cloudcanvas.diagram.svg import frame  # the frame calls panel_room: import when drawn

    plain = frame(lay, dataclasses.replace(opts, cost=None))
    s = _panel_scale(plain.w, plain.h)
    return plain.x + plain.w + 16 * s, plain.y + 16 * s, s


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _panel_svg(lay: Layout, opts: RenderOptions, cost: CostData, summary: Summary) -> list[str]:
    from cloudcanvas.diagram.style import THEMES

    theme = THEMES[opts.theme]
    x, y, s = _panel_origin(lay, opts)
    lines = _panel_lines(cost, summary)
    height = (len(lines) + 1) * PANEL_LINE + 16
    fill, stroke, _ = theme.plates["region"]
    out = [
        f'<g class="cost-panel" transform="translate({x:.1f} {y:.1f}) scale({s:.3f})" '
        f'font-size="11" fill="{theme.text}">',
        f'<rect width="{PANEL_W:.0f}" height="{height:.0f}" rx="6" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.5"/>',
    ]
    for index, (kind, text) in enumerate(lines):
        ty = 22 + index * PANEL_LINE
        if kind == "legend":
            out += _legend_svg(ty)
            continue
        name, _, amount = text.partition("\t")
        weight = ' font-weight="bold"' if kind in ("title", "total", "head") else ""
        size = ' font-size="13"' if kind == "total" else ""
        opacity = ' opacity="0.75" font-size="10"' if kind == "note" else ""
        out.append(
            f'<text class="cost-{kind}" x="12" y="{ty:.0f}"{weight}{size}{opacity}>'
            f"{escape(_shorten(name, 30 if amount else NOTE_CHARS))}</text>"
        )
        if amount:
            out.append(
                f'<text class="cost-amount" x="{PANEL_W - 12:.0f}" y="{ty:.0f}" '
                f'text-anchor="end">{escape(amount)}</text>'
            )
    out.append("</g>")
    return out


def _legend_svg(ty: float) -> list[str]:
    out = []
    step = (PANEL_W - 24) / len(BAND_COLORS)
    for index, color in enumerate(BAND_COLORS):
        out.append(
            f'<rect class="cost-band" x="{12 + index * step:.1f}" y="{ty - 10:.0f}" '
            f'width="{step - 2:.1f}" height="12" fill="{color}"/>'
        )
    return out


# ---- labels under the blocks and on the groups ----


def _anchor(placed: PlacedNode, opts: RenderOptions) -> tuple[float, float]:
    """Under the block's name (or where the name would be)."""
    from cloudcanvas.diagram.svg import label_anchor

    x, y = label_anchor(placed, opts)
    return x, y + (11 if opts.label else 0)


def _pill_width(text: str) -> float:
    return len(text) * 4.7 + 8


def _group_anchor(group: PlacedGroup, opts: RenderOptions) -> tuple[float, float]:
    """The group's bottom-right corner, inside its padding: clear of its name and its blocks."""
    x, y = group.x + group.w - PAD / 2, group.y + group.h - PAD / 2 + 0.35
    if opts.projection == "2d":
        return x * FLAT, y * FLAT
    return iso(x, y)


def svg_layer(lay: Layout, opts: RenderOptions) -> list[str]:
    """The layer's SVG elements, drawn over the diagram (the caller checked ``opts.cost``)."""
    from cloudcanvas.diagram.style import THEMES

    cost = opts.cost
    assert cost is not None
    theme = THEMES[opts.theme]
    summary = summarize(lay, cost)
    out = [
        f'<g class="cost-layer" data-currency="{escape(cost.currency)}" '
        f'data-period="{escape(cost.period)}" data-total="{summary.total:.2f}">',
        '<g class="cost-groups" font-size="11" font-weight="bold">',
    ]
    for group in lay.groups:
        amount = summary.group_cost.get(group.id, 0.0)
        if amount <= 0:
            continue
        text = escape("Σ " + money(amount, cost.currency, cost.period))
        gx, gy = _group_anchor(group, opts)
        place = (
            f'x="{gx:.0f}" y="{gy:.0f}"'
            if opts.projection == "2d"
            else f'transform="matrix(1 0.5 -1 0.5 {gx:.0f} {gy:.0f})"'
        )
        ink = theme.plates.get(group.kind, theme.plates["region"])[2]
        out.append(
            f'<text class="cost-group" data-group={quoteattr(group.id)} data-cost="{amount:.2f}" {place} '
            f'text-anchor="end" fill="{ink}">{text}</text>'
        )
    out.append("</g>")
    out.append('<g class="cost-labels" font-size="8" text-anchor="middle" fill="#ffffff">')
    for placed in lay.nodes:
        amount = summary.node_cost.get(placed.id, 0.0)
        if amount > 0:
            text = money(amount, cost.currency, cost.period)
            index = summary.band(amount)
            color, band = BAND_COLORS[index], f' data-band="{index}"'
        elif placed.id in summary.usage:
            text, color, band = "usage-based", USAGE_COLOR, ' data-band="usage"'
        else:
            continue
        x, y = _anchor(placed, opts)
        w = _pill_width(text)
        out.append(
            f'<g class="cost-label" data-key={quoteattr(placed.node.key)}{band}>'
            f'<rect x="{x - w / 2:.1f}" y="{y - 8:.1f}" width="{w:.1f}" height="11" rx="5.5" '
            f'fill="{color}"/><text x="{x:.1f}" y="{y:.1f}">{escape(text)}</text></g>'
        )
    out.append("</g>")
    out += _panel_svg(lay, opts, cost, summary)
    out.append("</g>")
    return out


# ---- PNG and PDF (cairo) ----


def _rgb(color: str) -> tuple[float, float, float]:
    return (int(color[1:3], 16) / 255, int(color[3:5], 16) / 255, int(color[5:7], 16) / 255)


def paint_layer(ctx: Any, lay: Layout, opts: RenderOptions) -> None:
    """The same layer on a cairo context set up in the SVG's user units."""
    import cairocffi  # type: ignore[import-untyped]

    from cloudcanvas.diagram.style import THEMES

    cost = opts.cost
    assert cost is not None
    theme = THEMES[opts.theme]
    summary = summarize(lay, cost)
    bold, normal = cairocffi.FONT_WEIGHT_BOLD, cairocffi.FONT_WEIGHT_NORMAL
    ctx.select_font_face("sans-serif", cairocffi.FONT_SLANT_NORMAL, bold)
    for group in lay.groups:
        amount = summary.group_cost.get(group.id, 0.0)
        if amount <= 0:
            continue
        text = "Σ " + money(amount, cost.currency, cost.period)
        ink = theme.plates.get(group.kind, theme.plates["region"])[2]
        gx, gy = _group_anchor(group, opts)
        ctx.save()
        ctx.translate(gx, gy)
        if opts.projection != "2d":
            ctx.transform(cairocffi.Matrix(1, 0.5, -1, 0.5, 0, 0))
        ctx.set_font_size(11)
        ctx.move_to(-ctx.text_extents(text)[4], 0)
        ctx.set_source_rgb(*_rgb(ink))
        ctx.show_text(text)
        ctx.restore()
    ctx.set_font_size(8)
    for placed in lay.nodes:
        amount = summary.node_cost.get(placed.id, 0.0)
        if amount > 0:
            text = money(amount, cost.currency, cost.period)
            color = BAND_COLORS[summary.band(amount)]
        elif placed.id in summary.usage:
            text, color = "usage-based", USAGE_COLOR
        else:
            continue
        x, y = _anchor(placed, opts)
        w = _pill_width(text)
        ctx.set_source_rgb(*_rgb(color))
        ctx.rectangle(x - w / 2, y - 8, w, 11)
        ctx.fill()
        ctx.set_source_rgb(1, 1, 1)
        ctx.move_to(x - ctx.text_extents(text)[4] / 2, y)
        ctx.show_text(text)
    _paint_panel(ctx, lay, opts, cost, summary, theme, (bold, normal))


def _paint_panel(
    ctx: Any,
    lay: Layout,
    opts: RenderOptions,
    cost: CostData,
    summary: Summary,
    theme: Theme,
    weights: tuple[Any, Any],
) -> None:
    import cairocffi

    x, y, s = _panel_origin(lay, opts)
    lines = _panel_lines(cost, summary)
    ctx.save()
    ctx.translate(x, y)
    ctx.scale(s, s)
    fill, stroke, _ = theme.plates["region"]
    ctx.rectangle(0, 0, PANEL_W, (len(lines) + 1) * PANEL_LINE + 16)
    ctx.set_source_rgb(*_rgb(fill))
    ctx.fill_preserve()
    ctx.set_source_rgb(*_rgb(stroke))
    ctx.set_line_width(1.5)
    ctx.stroke()
    step = (PANEL_W - 24) / len(BAND_COLORS)
    for index, (kind, text) in enumerate(lines):
        ty = 22 + index * PANEL_LINE
        if kind == "legend":
            for band, color in enumerate(BAND_COLORS):
                ctx.rectangle(12 + band * step, ty - 10, step - 2, 12)
                ctx.set_source_rgb(*_rgb(color))
                ctx.fill()
            continue
        name, _, amount = text.partition("\t")
        heavy = kind in ("title", "total", "head")
        ctx.select_font_face(
            "sans-serif", cairocffi.FONT_SLANT_NORMAL, weights[0] if heavy else weights[1]
        )
        ctx.set_font_size({"total": 13, "note": 10}.get(kind, 11))
        ctx.set_source_rgb(*_rgb(theme.text))
        ctx.move_to(12, ty)
        ctx.show_text(_shorten(name, 30 if amount else NOTE_CHARS))
        if amount:
            ctx.move_to(PANEL_W - 12 - ctx.text_extents(amount)[4], ty)
            ctx.show_text(amount)
    ctx.restore()


# ---- JSON ----


def json_layer(data: dict[str, Any], lay: Layout, opts: RenderOptions) -> None:
    """Cost per node and per group in a snapshot's blueprint JSON (``data``), and a summary."""
    cost = opts.cost
    assert cost is not None
    summary = summarize(lay, cost)
    amounts, usage = cost.by_key(), set(cost.usage)
    by_resource = {p.node.resource_id: p.node.key for p in lay.nodes}
    for node in data.get("nodes", []):
        key = by_resource.get(node.get("resourceId"), "")
        node["cost"] = _node_cost(key, amounts, usage)
    for group, placed in zip(data.get("groups", []), lay.groups, strict=True):  # in layout order
        group["cost"] = round(summary.group_cost.get(placed.id, 0.0), 2)
    data["cost"] = summary_json(cost, summary)


def _node_cost(key: str, amounts: Mapping[str, float], usage: set[str]) -> dict[str, Any]:
    if key in amounts:
        return {"amount": round(amounts[key], 2), "status": "priced"}
    if key in usage:
        return {"amount": None, "status": "usage-based"}
    return {"amount": None, "status": "unpriced"}


def summary_json(cost: CostData, summary: Summary) -> dict[str, Any]:
    return {
        "currency": cost.currency,
        "period": cost.period,
        "total": round(summary.total, 2),
        "note": cost.note,
        "usageBased": len(cost.usage),
        "unpriced": cost.unpriced,
        "groups": summary.dimensions,
        "top": [
            {"name": name, "type": kind, "cost": round(amount, 2)}
            for name, kind, amount in summary.top
        ],
    }


def document_layer(data: Mapping[str, Any], lay: Layout, cost: CostData) -> dict[str, Any]:
    """A blueprint document with cost on each node (by its ``resourceId``) and a summary; the
    document itself is not changed (a copy is returned)."""
    summary = summarize(lay, cost)
    amounts, usage = cost.by_key(), set(cost.usage)
    out = dict(data)
    nodes = []
    for node in data.get("nodes") or []:
        if isinstance(node, dict):
            key = node.get("resourceId")
            node = {
                **node,
                "cost": _node_cost(key.lower() if isinstance(key, str) else "", amounts, usage),
            }
        nodes.append(node)
    out["nodes"] = nodes
    placed = {g.id for g in lay.groups}  # diagram.blueprint names the i-th group "g{i}"
    if isinstance(data.get("groups"), list):
        out["groups"] = [
            {**group, "cost": round(summary.group_cost[f"g{index}"], 2)}
            if isinstance(group, dict) and f"g{index}" in placed
            else group
            for index, group in enumerate(data["groups"])
        ]
    out["cost"] = summary_json(cost, summary)
    return out


# ---- draw.io ----


def mx_node(placed_id: str, summary: Summary, cost: CostData) -> tuple[str, str, dict[str, str]]:
    """(label suffix, style suffix, data attributes) of a block."""
    amount = summary.node_cost.get(placed_id, 0.0)
    if amount > 0:
        color = BAND_COLORS[summary.band(amount)]
        text = money(amount, cost.currency, cost.period)
        return "\n" + text, f"strokeColor={color};strokeWidth=4;", {"cost": f"{amount:.2f}"}
    if placed_id in summary.usage:
        return "\nusage-based", f"strokeColor={USAGE_COLOR};strokeWidth=2;", {"cost": "usage-based"}
    return "", "", {}


def mx_group(group_id: str, summary: Summary, cost: CostData) -> str:
    amount = summary.group_cost.get(group_id, 0.0)
    return f" · Σ {money(amount, cost.currency, cost.period)}" if amount > 0 else ""


def mx_panel(lay: Layout, cost: CostData, summary: Summary, unit: int) -> str:
    """The budget panel as one text cell right of the drawing."""
    lines = []
    for kind, text in _panel_lines(cost, summary):
        if kind == "legend":
            continue
        name, _, amount = text.partition("\t")
        lines.append(f"{name}  {amount}" if amount else name)
    value = quoteattr("\n".join(lines))
    x, height = (lay.width + 4) * unit, (len(lines) + 1) * 16
    return (
        f'<mxCell id="cost-panel" value={value} style="text;html=0;whiteSpace=wrap;align=left;'
        'verticalAlign=top;fillColor=#ffffff;strokeColor=#b8c4d1;spacing=8;fontSize=11;" '
        f'vertex="1" parent="1"><mxGeometry x="{x}" y="0" width="320" height="{height}" '
        'as="geometry"/></mxCell>'
    )
