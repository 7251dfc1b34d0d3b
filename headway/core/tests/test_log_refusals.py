"""A refused request (403) is one warning line in the log, without a traceback; a 500 keeps
its traceback."""

from __future__ import annotations

import logging

import pytest

from headway.conftest import Team, client_for

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_as_one_warning_line_without_the_traceback(
    team: Team, caplog: pytest.LogCaptureFixture
) -> None:
    path = f"/w/{team.workspace.slug}/background/"
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client_for(team.member).get(path)
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == f"Forbidden (Permission denied): {path}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text and "PermissionDenied" not in caplog.text


def test_other_errors_keep_their_traceback(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("django.request")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            logger.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})
    [record] = caplog.records
    assert record.exc_info is not None
    assert "Traceback" in caplog.text
