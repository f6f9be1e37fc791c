"""The Cost Management Query API: ``POST {scope}/providers/Microsoft.CostManagement/query``.

Answers ``ActualCost`` grouped by ``ResourceId`` (the simulator's own figures, stable per
resource) for principals holding Cost Management Reader, Contributor or Owner at or above the
scope; Reader alone gets the real 401 ``RBACAccessDenied`` body.
"""

from __future__ import annotations

import hashlib
import json

from starlette.requests import Request
from starlette.responses import Response

from cloudcanvas.simulator import access
from cloudcanvas.simulator.context import Context, arm_error, json_response
from cloudcanvas.simulator.state import Token

COST_ROLES = {"cost management reader", "contributor", "owner"}
FREE_TYPES = ("/virtualnetworks", "/subnets", "/networkinterfaces", "/networksecuritygroups")


def daily_cost(resource_id: str) -> float:
    """The simulator's cost of one resource for one day (USD)."""
    digest = hashlib.sha256(resource_id.lower().encode()).digest()
    return round(0.2 + int.from_bytes(digest[:4], "big") % 2000 / 100, 4)


async def query(ctx: Context, request: Request, who: Token) -> Response:
    scope = request.url.path.lower().split("/providers/microsoft.costmanagement/query")[0]
    roles = {a.role.lower() for a in access.applying(ctx.env, who.object_id, scope)}
    if not roles & COST_ROLES:
        return arm_error(
            401,
            "RBACAccessDenied",
            "The client does not have authorization to perform action "
            "'Microsoft.CostManagement/query/action' over scope "
            f"'{scope}' or the scope is invalid.",
        )
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return arm_error(400, "BadRequest", "The request body is not JSON.")
    grouping = (body.get("dataset") or {}).get("grouping") or []
    if body.get("type") not in ("ActualCost", "AmortizedCost", "Usage") or not any(
        str(g.get("name", "")).lower() == "resourceid" for g in grouping if isinstance(g, dict)
    ):
        return arm_error(400, "BadRequest", "The simulator answers ActualCost by ResourceId only.")
    days = 30
    rows = [
        [round(daily_cost(str(r["id"])) * days, 2), str(r["id"]).lower(), "USD"]
        for r in ctx.env.resources
        if str(r.get("id", "")).lower().startswith(scope + "/")
        and not str(r.get("type", "")).lower().endswith(FREE_TYPES)
    ]
    columns = [
        {"name": "Cost", "type": "Number"},
        {"name": "ResourceId", "type": "String"},
        {"name": "Currency", "type": "String"},
    ]
    return json_response(
        {
            "id": f"{scope}/providers/Microsoft.CostManagement/query/sim",
            "name": "sim",
            "type": "Microsoft.CostManagement/query",
            "properties": {"nextLink": None, "columns": columns, "rows": rows},
        }
    )
