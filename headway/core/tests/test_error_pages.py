"""The pages' 403, 404 and 500 answers are finished, styled pages; the 500 page needs neither
the database nor a context processor."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from headway.conftest import Team, client_for
from headway.core.views import server_error
from headway.workspaces.access import workspace_view
from headway.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


@workspace_view()
def _workspace_boom(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    raise RuntimeError("a bug on a workspace page")


urlpatterns = [path("boom/", _boom), path("w/<slug:ws>/boom/", _workspace_boom)]
handler500 = "headway.core.views.server_error"


def _failing_processor(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("the database is down")


def test_404_is_the_styled_page_for_visitors_and_members(team: Team) -> None:
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404
    page = anonymous.content.decode()
    assert "Page not found" in page and "/no-such-page/" in page
    assert "headway/app.css" in page and 'class="error-page"' in page
    assert "Log in" in page
    member = client_for(team.member).get("/w/no-such-workspace/board/").content.decode()
    assert "Back to your workspace" in member and team.workspace.name in member


def test_403_is_the_styled_page_with_the_reason(team: Team) -> None:
    response = client_for(team.member).get(f"/w/{team.workspace.slug}/background/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page and 'class="error-page"' in page
    assert "headway/app.css" in page and "Back to your workspace" in page


@override_settings(ROOT_URLCONF=__name__)
def test_an_unhandled_error_answers_the_styled_500_page() -> None:
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page and "headway/app.css" in page
    assert "UTC on" in page


@override_settings(ROOT_URLCONF=__name__)
def test_a_workspace_page_error_gives_the_time_in_the_workspace_zone(team: Team) -> None:
    team.workspace.time_zone = "Pacific/Auckland"
    team.workspace.save(update_fields=["time_zone"])
    client = client_for(team.member)
    client.raise_request_exception = False
    response = client.get(f"/w/{team.workspace.slug}/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Pacific/Auckland on" in page and "UTC" not in page


def test_the_500_page_uses_no_database_and_no_context_processor(
    settings: Any, django_assert_num_queries: Any
) -> None:
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [*processors, f"{__name__}._failing_processor"],
            },
        }
    ]
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_the_500_page_falls_back_to_plain_html_when_its_template_fails() -> None:
    with mock.patch("headway.core.views.loader.render_to_string", side_effect=ValueError("x")):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
