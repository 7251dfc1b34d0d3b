from __future__ import annotations

import datetime as dt
import logging

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from headway.workspaces.selectors import memberships_for_user


def home(request: HttpRequest) -> HttpResponse:
    """Sends a signed-in user to the workspace they used last, or to create their first."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    memberships = list(memberships_for_user(request.user))
    if not memberships:
        return render(request, "core/no_workspace.html")
    last = request.session.get("last_workspace")
    slugs = [m.workspace.slug for m in memberships]
    slug = last if last in slugs else slugs[0]
    return redirect("workspaces:dashboard", ws=slug)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


logger = logging.getLogger(__name__)

SERVER_ERROR_FALLBACK = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
    "<title>Something went wrong · Headway</title></head><body><h1>Something went wrong on our "
    "side</h1><p>The error has been logged. Try again in a moment.</p>"
    '<p><a href="/">Back to Headway</a></p></body></html>'
)


def _when(request: HttpRequest) -> str:
    """Now, in the time zone of the workspace the failed page belonged to (its people read
    times there), or in UTC when the request never reached a workspace. The workspace is the
    one already on the request: nothing is queried."""
    workspace = getattr(request, "workspace", None)
    tz = workspace.tzinfo if workspace is not None else dt.UTC
    zone = getattr(tz, "key", "UTC")
    return timezone.now().astimezone(tz).strftime(f"%H:%M:%S {zone} on %-d %B %Y")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered without the request, so no context processor or database query
    runs: either may be what failed. Should even that fail (a missing static file in the
    manifest), a plain page still answers."""
    when = _when(request)
    try:
        html: str = loader.render_to_string("500.html", {"when": when})
    except Exception:
        logger.exception("The 500 page could not be rendered; answering the plain one.")
        html = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(html)
