"""Entra ID: OIDC discovery and the v2 token endpoint (client credentials)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import Response

from cloudcanvas.simulator.context import Context, aad_error, json_response
from cloudcanvas.simulator.environment import Principal, Tenant

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DNS = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")


def find_tenant(ctx: Context, tenant: str) -> Tenant | Response:
    """The tenant named in the path, or the AADSTS error Entra answers for it."""
    found = ctx.env.tenant(tenant)
    if found is not None:
        return found
    if _GUID.match(tenant) or _DNS.match(tenant):
        return aad_error(
            400,
            "invalid_tenant",
            90002,
            f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and "
            "are signing into the correct cloud. Check with your subscription administrator, "
            "this may happen if there are no active subscriptions for the tenant.",
        )
    return aad_error(
        400,
        "invalid_request",
        900023,
        f"Specified tenant identifier '{tenant}' is neither a valid DNS name, "
        "nor a valid external domain.",
    )


def base_of(request: Request) -> str:
    host = request.headers.get("host") or f"{request.url.hostname}:{request.url.port}"
    return f"https://{host}"


async def discovery(ctx: Context, request: Request, tenant: str) -> Response:
    found = find_tenant(ctx, tenant)
    if isinstance(found, Response):
        return found
    base = f"{base_of(request)}/{tenant}"
    return json_response(
        {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "private_key_jwt",
                "client_secret_basic",
            ],
            "jwks_uri": f"{base_of(request)}/{found.id}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": f"{base_of(request)}/{found.id}/v2.0",
            "request_uri_parameter_supported": False,
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "tenant_region_scope": "NA",
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
        }
    )


async def token(ctx: Context, request: Request, tenant: str) -> tuple[Response, str | None]:
    """Client-credentials grant; returns the response and the app id it was for (if known)."""
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
    client_id = form.get("client_id", "")
    found = find_tenant(ctx, tenant)
    if isinstance(found, Response):
        return found, client_id or None
    if form.get("grant_type") != "client_credentials":
        return aad_error(
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type "
            f"'{form.get('grant_type', '')}'. Only client_credentials is simulated.",
        ), client_id or None
    if not client_id:
        return aad_error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        ), None
    return _client_credentials(ctx, found, client_id, form), client_id


def _client_credentials(
    ctx: Context, tenant: Tenant, client_id: str, form: dict[str, str]
) -> Response:
    principal = ctx.env.principal_by_app(client_id, tenant.id)
    if principal is None:
        return aad_error(
            400,
            "unauthorized_client",
            700016,
            f"Application with identifier '{client_id}' was not found in the directory "
            f"'{tenant.display_name or tenant.id}'. This can happen if the application has not been "
            "installed by the administrator of the tenant or consented to by any user in the "
            "tenant. You may have sent your authentication request to the wrong tenant.",
        )
    refused = _refuse_secret(principal, form.get("client_secret"))
    if refused is not None:
        return refused
    lifetime = ctx.token_lifetime
    access = ctx.state.issue_token(principal.app_id, principal.object_id, tenant.id, lifetime)
    return json_response(
        {
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access,
        }
    )


def _refuse_secret(principal: Principal, secret: str | None) -> Response | None:
    """Entra ID's error for a missing, wrong or expired client secret; None when it is good."""
    if not secret:
        return aad_error(
            401,
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or "
            "'client_secret'.",
        )
    match = next((s for s in principal.secrets if s.value == secret), None)
    if match is None:
        return aad_error(
            401,
            "invalid_client",
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the "
            "client secret value, not the client secret ID, for a secret added to app "
            f"'{principal.app_id}'.",
        )
    if match.expires_at <= datetime.now(UTC):
        return aad_error(
            401,
            "invalid_client",
            7000222,
            f"The provided client secret keys for app '{principal.app_id}' are expired. Visit the "
            "Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or "
            "consider using certificate credentials for added security: https://aka.ms/certCreds.",
        )
    return None
