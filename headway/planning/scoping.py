"""The planning app's URL parameters, checked against the workspace before any view runs."""

from __future__ import annotations

from typing import Any

from headway.workspaces.scoping import register


def _models() -> Any:
    from headway.planning import models

    return models


register("campaign_id", lambda: _models().Campaign)
register("task_id", lambda: _models().Task)
register("dependency_id", lambda: _models().Dependency)
register("condition_id", lambda: _models().GoLiveCondition)
register("template_id", lambda: _models().CampaignTemplate)
register("timeoff_id", lambda: _models().TimeOff)
register("holiday_id", lambda: _models().Holiday)
register("metric_id", lambda: _models().SuccessMetric, "campaign__workspace")
register("attachment_id", lambda: _models().Attachment)
