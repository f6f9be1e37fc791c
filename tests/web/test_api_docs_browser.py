"""/api/docs renders Swagger UI with no network beyond this server, under the CSP (issue 14,
item 11): every request to another host is refused by the test, and the page still shows the
operations."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_under_the_csp(page, live_server):
    foreign: list[str] = []
    violations: list[str] = []

    def only_this_server(route, request) -> None:
        if request.url.startswith(live_server.url):
            route.continue_()
        else:
            foreign.append(request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + "/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "cloudcanvas" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock-summary-path", has_text="/api/azure/account").first.wait_for()
    assert page.locator(".opblock").count() >= 15
    assert foreign == [] and violations == []
