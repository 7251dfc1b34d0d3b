from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from headway.accounts.services import token_authenticate
from headway.core.errors import Forbidden
from headway.workspaces.access import resolve_workspace, token_membership
from headway.workspaces.scoping import WORKSPACE_KWARG


class HeadwayAuth(AuthBase):
    """Bearer token for scripts, or the browser session (with its CSRF check) for pages.

    Routes under a workspace are resolved here, before the payload is validated, so an
    object of another workspace answers 404 whatever the request carries.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        kwargs = dict(request.resolver_match.kwargs) if request.resolver_match else {}
        slug = kwargs.pop(WORKSPACE_KWARG, None)
        raw = self._bearer(request)
        if raw is not None and slug is not None:
            # A script's usual call: its token, user, membership and workspace in one query.
            membership = token_membership(raw, slug)
            if membership is not None:
                request.user = membership.user
                resolve_workspace(request, slug, kwargs, membership=membership)
                return membership.user
        user = token_authenticate(raw) if raw is not None else self._session_user(request)
        if user is None:
            return None
        request.user = user
        if slug is not None:
            resolve_workspace(request, slug, kwargs)
        return user

    def _bearer(self, request: HttpRequest) -> str | None:
        """The raw token of an `Authorization: Bearer` header; "" for any other header (which
        authenticates no one), None without the header."""
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer":
            return ""
        return raw.strip()

    def _session_user(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            error = check_csrf(request)
            if error:
                raise Forbidden("CSRF check failed: send the X-CSRFToken header.", code="csrf")
        return user
