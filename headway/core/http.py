"""Request types for views behind sign-in, so that views need no casts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from headway.accounts.models import User
    from headway.workspaces.models import Membership, Workspace


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class WorkspaceRequest(AuthedRequest):
    """A request under /w/<ws>/ (or an API route under a workspace), already resolved."""

    workspace: Workspace
    membership: Membership


P = ParamSpec("P")
T = TypeVar("T")


def found_or_404(read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """What a selector finds; on a page, an object that is not there is a 404 (the API maps
    the same DoesNotExist to its JSON 404)."""
    try:
        return read(*args, **kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404(str(exc)) from None
