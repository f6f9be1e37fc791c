"""How to draw: the options every format shares, checked once (Cloudcraft's query parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cloudcanvas.errors import BadRequest

if TYPE_CHECKING:
    from cloudcanvas.diagram.costlayer import CostData

GROUP_LEVELS = ("region", "vnet", "subnet", "resourcegroup", "subscription")
GROUP_PRESETS: dict[str, tuple[str, ...]] = {
    "infrastructure": ("region", "vnet"),
    "network": ("region", "vnet", "subnet"),
    "resourcegroup": ("resourcegroup",),
}
# Paper sizes in PostScript points (1/72 inch), portrait.
PAPER_SIZES: dict[str, tuple[float, float]] = {
    "Letter": (612.0, 792.0),
    "Legal": (612.0, 1008.0),
    "Tabloid": (792.0, 1224.0),
    "Ledger": (1224.0, 792.0),
    "A0": (2384.0, 3370.0),
    "A1": (1684.0, 2384.0),
    "A2": (1191.0, 1684.0),
    "A3": (842.0, 1191.0),
    "A4": (595.0, 842.0),
    "A5": (420.0, 595.0),
}
FORMATS = ("svg", "png", "pdf", "json", "mxGraph")
# detail: every resource; overview: each group's own resources as one summary tile (svg, png, pdf)
LEVELS = ("detail", "overview")
MAX_PIXELS_SIDE = 16384


class DiagramOptionsError(BadRequest):
    """An option value that cannot be drawn (the message names the option)."""


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Options shared by every format; the defaults match Cloudcraft's snapshot endpoint."""

    projection: str = "isometric"
    theme: str = "light"
    label: bool = True
    autoconnect: bool = True
    grid: bool = True
    transparent: bool = False
    scale: float = 1.0
    width: int | None = None
    height: int | None = None
    # None: landscape when the drawing is wider than tall; True/False: as asked.
    landscape: bool | None = None
    paper_size: str = "Letter"
    group_by: tuple[str, ...] = GROUP_PRESETS["infrastructure"]
    filter: str | None = None
    exclude: tuple[str, ...] = ()
    title: str | None = None
    # The cost layer (``diagram/costlayer.py``): amounts per resource key, passed in as plain data.
    cost: CostData | None = None
    # A legend of the symbols drawn, under the drawing (``diagram/legend.py``).
    legend: bool = False
    level: str = "detail"

    def __post_init__(self) -> None:
        # Callers may pass lists (parsed query strings); keep the options hashable and immutable.
        object.__setattr__(self, "group_by", tuple(self.group_by))
        object.__setattr__(self, "exclude", tuple(self.exclude))
        _check(self.projection in ("isometric", "2d"), "projection", "isometric or 2d")
        _check(self.theme in ("light", "dark"), "theme", "light or dark")
        _check(0.05 <= self.scale <= 20.0, "scale", "a number between 0.05 and 20")
        for name, value in (("width", self.width), ("height", self.height)):
            ok = value is None or 1 <= value <= MAX_PIXELS_SIDE
            _check(ok, name, f"a whole number of pixels between 1 and {MAX_PIXELS_SIDE}")
        _check(self.paper_size in PAPER_SIZES, "paperSize", ", ".join(PAPER_SIZES))
        _check(self.level in LEVELS, "level", " or ".join(LEVELS))
        levels = self.group_by
        ok = all(level in GROUP_LEVELS for level in levels) and len(set(levels)) == len(levels)
        _check(ok, "groupBy", "distinct levels among " + ", ".join(GROUP_LEVELS))


def _check(ok: bool, option: str, expected: str) -> None:
    if not ok:
        raise DiagramOptionsError(f"{option} must be {expected}", code="invalid_option")


def group_by_levels(value: str) -> tuple[str, ...]:
    """Parse a groupBy query value: a preset name or a comma-separated list of levels."""
    text = value.strip().lower()
    if text in GROUP_PRESETS:
        return GROUP_PRESETS[text]
    # A preset may be combined with levels: "subscription,infrastructure" puts every preset
    # under one group per subscription.
    levels = tuple(
        level
        for part in text.split(",")
        if part.strip()
        for level in GROUP_PRESETS.get(part.strip(), (part.strip(),))
    )
    bad = [level for level in levels if level not in GROUP_LEVELS]
    if bad or len(set(levels)) != len(levels):
        expected = "a preset (" + ", ".join(GROUP_PRESETS) + ") or levels among "
        raise DiagramOptionsError(f"groupBy must be {expected}{', '.join(GROUP_LEVELS)}")
    return levels
