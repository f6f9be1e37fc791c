"""Normalizers per resource family, by lowercase ARM type."""

from __future__ import annotations

from cloudcanvas.inventory.families import apps, compute, data, network, wan
from cloudcanvas.inventory.families.base import Normalizer

NORMALIZERS: dict[str, Normalizer] = {
    **network.NORMALIZERS,
    **wan.NORMALIZERS,
    **compute.NORMALIZERS,
    **data.NORMALIZERS,
    **apps.NORMALIZERS,
}
