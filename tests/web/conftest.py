from collections.abc import Iterator

import pytest

from cloudcanvas.simulator import Simulator
from tests.azure_env import settings_for
from tests.browser import browser, page  # noqa: F401  (fixtures)
from tests.live import LiveServer, start_live_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, simulator: Simulator) -> Iterator[LiveServer]:
    """cloudcanvas served on loopback with its own database, its Azure the simulator; one per
    test module."""
    live = start_live_server(tmp_path_factory.mktemp("server"), **settings_for(simulator))
    try:
        yield live
    finally:
        live.stop()
