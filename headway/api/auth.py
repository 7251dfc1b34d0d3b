from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from headway.accounts.services import token_authenticate
from headway.core.errors import Forbidden
from headway.workspaces.access import resolve_workspace
from headway.workspaces.scoping import WORKSPACE_KWARG


class HeadwayAuth(AuthBase):
    """Bearer token for scripts, or the browser session (with its CSRF check) for pages.

    Routes under a workspace are resolved here, before the payload is validated, so an
    object of another workspace answers 404 whatever the request carries.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Any:
        user = self._user(request)
        if user is None:
            return None
        request.user = user
        kwargs = dict(request.resolver_match.kwargs) if request.resolver_match else {}
        slug = kwargs.pop(WORKSPACE_KWARG, None)
        if slug is not None:
            resolve_workspace(request, slug, kwargs)
        return user

    def _user(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return None
            return token_authenticate(raw.strip())
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            error = check_csrf(request)
            if error:
                raise Forbidden("CSRF check failed: send the X-CSRFToken header.", code="csrf")
        return user
