"""Edges routed around the containers they do not belong to.

The layout draws each edge as an orthogonal path leaving its source down into the gap row under
its slot, running along that gap and entering the target sideways from the gap column beside it.
Parallel edges between two containers are bundled first (``bundling``); this module then looks,
for each other edge, for an orthogonal path that crosses no container the edge does not belong to
(a group holding neither end): the layout's path first, the two L-shaped paths, then paths that go
round each crossed container along a channel just outside it. The one crossing the fewest unrelated
containers wins, the shortest among equals; an edge with no clean route keeps the best found.
Isometric drawings project the same points, so they get the same routes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cloudcanvas.diagram.layout import PlacedEdge

Point = tuple[float, float]
BUCKET = 64  # grid units per side of a spatial-index cell
CHANNEL = 1.0  # how far outside a container a detour runs
MAX_DETOURS = 4  # containers tried per edge


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    x: float
    y: float
    w: float
    h: float
    parent: str | None
    # Its right and bottom sides, kept: the crossing test reads them millions of times.
    right: float = field(init=False, repr=False, compare=False)
    bottom: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "right", self.x + self.w)
        object.__setattr__(self, "bottom", self.y + self.h)


class BoxIndex:
    """Containers bucketed on a coarse grid: the ones a segment may cross, found quickly."""

    def __init__(self, boxes: Iterable[Box]) -> None:
        self.cells: dict[tuple[int, int], list[Box]] = {}
        for box in boxes:
            for cell in _cells(box.x, box.y, box.x + box.w, box.y + box.h):
                self.cells.setdefault(cell, []).append(box)

    def near(self, a: Point, b: Point) -> Sequence[Box]:
        x0, x1 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
        y0, y1 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
        if x0 // BUCKET == x1 // BUCKET and y0 // BUCKET == y1 // BUCKET:  # most segments
            return self.cells.get((int(x0 // BUCKET), int(y0 // BUCKET)), ())
        seen: dict[str, Box] = {}
        for cell in _cells(x0, y0, x1, y1):
            for box in self.cells.get(cell, ()):
                seen[box.id] = box
        return list(seen.values())

    def along(self, a: Point, b: Point) -> Sequence[Box]:
        """The containers in the cells a segment passes through; one in several of those cells
        comes once a cell (cheaper than sorting them out for ``crossed``, which counts each
        once anyway)."""
        x0, x1 = (a[0], b[0]) if a[0] <= b[0] else (b[0], a[0])
        y0, y1 = (a[1], b[1]) if a[1] <= b[1] else (b[1], a[1])
        cx0, cx1, cy0, cy1 = (
            int(x0 // BUCKET),
            int(x1 // BUCKET),
            int(y0 // BUCKET),
            int(y1 // BUCKET),
        )
        get = self.cells.get
        if cx0 == cx1 and cy0 == cy1:  # most segments
            return get((cx0, cy0), ())
        return [
            box
            for cx in range(cx0, cx1 + 1)
            for cy in range(cy0, cy1 + 1)
            for box in get((cx, cy), ())
        ]


def _cells(x0: float, y0: float, x1: float, y1: float) -> Iterable[tuple[int, int]]:
    for cx in range(int(x0 // BUCKET), int(x1 // BUCKET) + 1):
        for cy in range(int(y0 // BUCKET), int(y1 // BUCKET) + 1):
            yield cx, cy


def segment_crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether the axis-parallel segment a–b passes through the inside of ``box``."""
    left, right, top, bottom = box.x, box.right, box.y, box.bottom
    (ax, ay), (bx, by) = a, b
    if ay == by:  # horizontal
        return top < ay < bottom and min(ax, bx) < right and max(ax, bx) > left
    if ax == bx:  # vertical
        return left < ax < right and min(ay, by) < bottom and max(ay, by) > top
    # Not axis-parallel: test its bounding box (conservative).
    lo_x, hi_x = sorted((a[0], b[0]))
    lo_y, hi_y = sorted((a[1], b[1]))
    return lo_x < right and hi_x > left and lo_y < bottom and hi_y > top


def crossed(points: Sequence[Point], index: BoxIndex, related: frozenset[str]) -> list[Box]:
    """The unrelated containers a path passes through, each once.

    ``segment_crosses`` written out for the horizontal and vertical segments that make nearly
    every path: this loop runs millions of times on a 50,000-resource drawing, where the call
    alone cost a third of the routing."""
    hit: dict[str, Box] = {}
    for a, b in itertools.pairwise(points):
        (ax, ay), (bx, by) = a, b
        boxes = index.along(a, b)
        if ay == by:
            lo, hi = (ax, bx) if ax <= bx else (bx, ax)
            for box in boxes:
                if (
                    box.y < ay < box.bottom
                    and lo < box.right
                    and hi > box.x
                    and box.id not in related
                    and box.id not in hit
                ):
                    hit[box.id] = box
        elif ax == bx:
            lo, hi = (ay, by) if ay <= by else (by, ay)
            for box in boxes:
                if (
                    box.x < ax < box.right
                    and lo < box.bottom
                    and hi > box.y
                    and box.id not in related
                    and box.id not in hit
                ):
                    hit[box.id] = box
        else:
            for box in boxes:
                if box.id not in related and box.id not in hit and segment_crosses(a, b, box):
                    hit[box.id] = box
    return list(hit.values())


def _length(points: Sequence[Point]) -> float:
    return sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in itertools.pairwise(points))


def clean(points: Sequence[Point]) -> tuple[Point, ...]:
    kept: list[Point] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            if (ax == bx == point[0]) or (ay == by == point[1]):
                kept[-1] = point
                continue
        kept.append(point)
    return tuple(kept)


def _candidates(points: Sequence[Point], blockers: Sequence[Box]) -> list[tuple[Point, ...]]:
    (sx, sy), (tx, ty) = points[0], points[-1]
    found = [tuple(points), clean([(sx, sy), (sx, ty), (tx, ty)])]
    found.append(clean([(sx, sy), (tx, sy), (tx, ty)]))
    for box in blockers[:MAX_DETOURS]:
        above, below = box.y - CHANNEL, box.y + box.h + CHANNEL
        left, right = box.x - CHANNEL, box.x + box.w + CHANNEL
        for y in (above, below):  # run horizontally along a channel above or below it
            found.append(clean([(sx, sy), (sx, y), (tx, y), (tx, ty)]))
        for x in (left, right):  # or vertically beside it
            found.append(clean([(sx, sy), (x, sy), (x, ty), (tx, ty)]))
            found.append(clean([(sx, sy), (sx, sy), (x, sy), (x, ty), (tx, ty)]))
    return found


MARGIN = 24.0  # how far beyond the two ends a grid route may wander
GRID_BOXES = 24  # nearby containers beyond which the grid search is skipped (cost is ~cube)
BEND = 4.0  # cost of a bend, in grid units of length


def grid_route(
    start: Point, end: Point, index: BoxIndex, related: frozenset[str]
) -> tuple[Point, ...] | None:
    """The cheapest orthogonal path on the channels just outside the nearby containers (an
    orthogonal visibility grid: Dijkstra on length plus a cost per bend) crossing none of them."""
    import heapq

    x0, x1 = sorted((start[0], end[0]))
    y0, y1 = sorted((start[1], end[1]))
    corner_a, corner_b = (x0 - MARGIN, y0 - MARGIN), (x1 + MARGIN, y1 + MARGIN)
    boxes = [b for b in index.near(corner_a, corner_b) if b.id not in related]
    if len(boxes) > GRID_BOXES:  # too costly: the simple detours only
        return None
    xs = {start[0], end[0]}
    ys = {start[1], end[1]}
    for b in boxes:
        xs.update((b.x - CHANNEL, b.x + b.w + CHANNEL))
        ys.update((b.y - CHANNEL, b.y + b.h + CHANNEL))
    gx = sorted(x for x in xs if corner_a[0] <= x <= corner_b[0])
    gy = sorted(y for y in ys if corner_a[1] <= y <= corner_b[1])
    ix, iy = {x: i for i, x in enumerate(gx)}, {y: i for i, y in enumerate(gy)}
    source, goal = (ix[start[0]], iy[start[1]]), (ix[end[0]], iy[end[1]])

    def free(a: Point, b: Point) -> bool:
        return not any(segment_crosses(a, b, box) for box in boxes)

    best: dict[tuple[int, int, int], float] = {}
    back: dict[tuple[int, int, int], tuple[int, int, int] | None] = {}
    heap: list[tuple[float, tuple[int, int, int], tuple[int, int, int] | None]] = []
    for d in range(4):
        heapq.heappush(heap, (0.0, (*source, d), None))
    steps = ((1, 0), (-1, 0), (0, 1), (0, -1))
    while heap:
        cost, state, prev = heapq.heappop(heap)
        if state in back:
            continue
        back[state] = prev
        i, j, d = state
        if (i, j) == goal:
            cells = []
            at: tuple[int, int, int] | None = state
            while at is not None:
                cells.append((gx[at[0]], gy[at[1]]))
                at = back[at]
            return clean(cells[::-1])
        for nd, (di, dj) in enumerate(steps):
            ni, nj = i + di, j + dj
            if not (0 <= ni < len(gx) and 0 <= nj < len(gy)):
                continue
            here, there = (gx[i], gy[j]), (gx[ni], gy[nj])
            nxt = (ni, nj, nd)
            step = (
                abs(here[0] - there[0])
                + abs(here[1] - there[1])
                + (BEND if nd != d and prev else 0.0)
            )
            if nxt in back or best.get(nxt, float("inf")) <= cost + step or not free(here, there):
                continue
            best[nxt] = cost + step
            heapq.heappush(heap, (cost + step, nxt, state))
    return None


def best_route(
    points: Sequence[Point], index: BoxIndex, related: frozenset[str]
) -> tuple[Point, ...]:
    """The path among the candidates that crosses the fewest unrelated containers."""
    return counted_route(points, index, related)[0]


def counted_route(
    points: Sequence[Point], index: BoxIndex, related: frozenset[str]
) -> tuple[tuple[Point, ...], int]:
    """``best_route`` and how many unrelated containers it still crosses."""
    blockers = crossed(points, index, related)
    if not blockers:
        return tuple(points), 0
    best, best_key = tuple(points), (len(blockers), _length(points))
    routed = grid_route(points[0], points[-1], index, related)
    candidates = _candidates(points, blockers)
    if routed is not None:
        candidates.insert(0, routed)
    for candidate in candidates:
        count = len(crossed(candidate, index, related))
        key = (count, _length(candidate))
        if key < best_key:
            best, best_key = candidate, key
            if count == 0:
                break
    return best, best_key[0]


def ancestry(start: str | None, parents: dict[str, str | None]) -> set[str]:
    found: set[str] = set()
    while start is not None and start not in found:
        found.add(start)
        start = parents.get(start)
    return found


def route_around(
    edges: Sequence[PlacedEdge],
    boxes: Sequence[Box],
    home: dict[str, str | None],
) -> list[PlacedEdge]:
    """Each edge (a layout ``PlacedEdge``) rerouted round the containers it does not belong to.

    ``home`` maps an element id (node or group) to the group it sits in (a group to itself), so
    the containers of both ends and their ancestors are the edge's own.
    """
    if not boxes:
        return list(edges)
    index = BoxIndex(boxes)
    parents = {box.id: box.parent for box in boxes}
    out: list[PlacedEdge] = []
    for edge in edges:
        related = frozenset(
            ancestry(home.get(edge.source), parents) | ancestry(home.get(edge.target), parents)
        )
        routed = best_route(edge.points, index, related)
        out.append(replace(edge, points=routed) if routed != edge.points else edge)
    return out


def edge_crossings(a: Sequence[Point], b: Sequence[Point]) -> int:
    """How many times two orthogonal paths cross (proper crossings, not shared runs)."""
    count = 0
    for p1, p2 in itertools.pairwise(a):
        for q1, q2 in itertools.pairwise(b):
            if _proper_cross(p1, p2, q1, q2):
                count += 1
    return count


def _proper_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    if p1[1] == p2[1] and q1[0] == q2[0]:
        h, v = (p1, p2), (q1, q2)
    elif p1[0] == p2[0] and q1[1] == q2[1]:
        h, v = (q1, q2), (p1, p2)
    else:
        return False
    hx0, hx1 = sorted((h[0][0], h[1][0]))
    vy0, vy1 = sorted((v[0][1], v[1][1]))
    return hx0 < v[0][0] < hx1 and vy0 < h[0][1] < vy1
