from __future__ import annotations

from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
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
