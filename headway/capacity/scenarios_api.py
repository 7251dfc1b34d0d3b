"""What-if scenarios over the API: ask "can we take this on?" and read the answer.

POST answers with the figures at once (the scenario is worked out in the request; a what-if
over 40 running campaigns takes a few seconds at most); with `background=true` it answers 202
with the scenario queued, and GET /scenarios/{id} is polled until `status` is `done`
(`progress` counts to 100 meanwhile). Owners, admins and managers only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from annotated_types import Ge, Le, MaxLen
from ninja import Router, Schema
from pydantic import Field

from headway.api.schemas import BoundedDate, Id, SafeStr
from headway.capacity import scenarios as services
from headway.capacity.models import Scenario
from headway.capacity.scenarios_selectors import scenario_get, scenarios_list
from headway.core.errors import Forbidden
from headway.core.http import WorkspaceRequest
from headway.planning.models import RoleNeeded

router = Router(tags=["scenarios"])

Trials = Annotated[int, Ge(services.TRIALS_MIN), Le(services.TRIALS_MAX)]


class ScenarioFreelancerIn(Schema):
    name: Annotated[SafeStr, MaxLen(80)] = ""
    role: RoleNeeded = Field(description="The kind of work they do")
    weekly_hours: Annotated[float, Ge(1), Le(80)] = 16
    weekdays: Annotated[list[Annotated[int, Ge(0), Le(6)]], MaxLen(7), Field(min_length=1)] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], description="0 = Monday .. 6 = Sunday"
    )


class ScenarioIn(Schema):
    template: Id | None = Field(None, description="The template to take on (or `draft`)")
    draft: Id | None = Field(None, description="A draft campaign to take on (or `template`)")
    launch_date: BoundedDate
    remove_people: Annotated[list[Id], MaxLen(services.REMOVE_PEOPLE_MAX)] = Field(
        default_factory=list, description="User ids taken out of the team"
    )
    add_people: Annotated[list[ScenarioFreelancerIn], MaxLen(services.ADD_PEOPLE_MAX)] = Field(
        default_factory=list, description="Freelancers added"
    )
    trials: Trials = services.TRIALS_DEFAULT
    name: Annotated[SafeStr, MaxLen(services.NAME_MAX)] = ""


class ScenarioPersonOut(Schema):
    id: int = Field(description="User id; negative for a freelancer the scenario adds")
    name: str
    skill: str
    added: bool
    removed: bool
    before: list[list[float]] = Field(description="[booked, available] hours per week, today")
    after: list[list[float]] = Field(description="[booked, available] with the scenario")


class ScenarioTaskOut(Schema):
    id: int = Field(description="Negative for a template's task (not stored yet)")
    title: str
    role: str
    owner_id: int | None = Field(description="User id; negative for a freelancer added")
    owner: str
    start: dt.date
    due: dt.date
    milestone: bool


class ScenarioCampaignOut(Schema):
    launch_date: dt.date
    plan_start: dt.date
    projected_launch: dt.date | None
    short_by: int = Field(description="Working days the launch date is too early")
    p_on_time: float | None
    p50_finish: dt.date
    p85_finish: dt.date
    basis: str
    tasks: list[ScenarioTaskOut]


class ScenarioRunningOut(Schema):
    id: int
    name: str
    launch_date: dt.date | None
    before: float | None = Field(description="P(on time) in today's levelled plan")
    after: float | None = Field(description="P(on time) with the scenario")
    drop: float
    likely_before: dt.date
    likely_after: dt.date
    slip_days: int
    notable: bool
    because: str


class ScenarioAnswerOut(Schema):
    today: dt.date
    weeks: list[dt.date]
    trials: int
    impossible: bool
    problems: list[str]
    warnings: list[str]
    reassigned: int
    over_before: int
    over_after: int
    people: list[ScenarioPersonOut]
    campaign: ScenarioCampaignOut | None
    running: list[ScenarioRunningOut]


class ScenarioOut(Schema):
    id: int
    name: str
    status: str = Field(description="queued, running, done, failed or applied")
    progress: int = Field(description="Percent worked out")
    template: int | None
    draft: int | None
    launch_date: dt.date
    remove_people: list[int]
    add_people: list[ScenarioFreelancerIn]
    trials: int
    computed_at: dt.datetime | None
    error: str
    campaign: int | None = Field(description="The campaign made from it")
    result: ScenarioAnswerOut | None


def _out(s: Scenario) -> ScenarioOut:
    return ScenarioOut.model_validate(
        {
            "id": s.pk,
            "name": s.name,
            "status": s.status,
            "progress": s.progress,
            "template": s.template_id,
            "draft": s.draft_id,
            "launch_date": s.launch_date,
            "remove_people": list(s.remove_people),
            "add_people": list(s.add_people),
            "trials": s.trials,
            "computed_at": s.computed_at,
            "error": s.error,
            "campaign": s.campaign_id,
            "result": s.result,
        }
    )


def _planner(request: WorkspaceRequest) -> None:
    if not request.membership.role_enum.plans:
        raise Forbidden("Only owners, admins and managers try scenarios.")


@router.post(
    "/workspaces/{ws}/scenarios",
    response={201: ScenarioOut, 202: ScenarioOut},
    summary="Can we take this on? A scenario: a template (or draft campaign) launching on a "
    "date, people removed, freelancers added. Answers 201 with the figures (load before and "
    "after, the new campaign's schedule and P(on time), each running campaign's P(on time) "
    "before and after); with background=true, 202 with the scenario queued: poll "
    "GET /scenarios/{id} until status is done",
)
def scenario_create(
    request: WorkspaceRequest, ws: str, payload: ScenarioIn, background: bool = False
) -> tuple[int, ScenarioOut]:
    _planner(request)
    scenario = services.scenario_create(
        actor=request.user,
        workspace=request.workspace,
        template_id=payload.template,
        draft_id=payload.draft,
        launch_date=payload.launch_date,
        remove_people=list(payload.remove_people),
        add_people=[p.dict() for p in payload.add_people],
        trials=payload.trials,
        name=payload.name,
        compute=not background,
    )
    return (202 if background else 201), _out(scenario)


@router.get("/workspaces/{ws}/scenarios", response=list[ScenarioOut], summary="Saved scenarios")
def scenario_list(request: WorkspaceRequest, ws: str) -> list[ScenarioOut]:
    _planner(request)
    return [_out(s) for s in scenarios_list(request.workspace)]


@router.get(
    "/workspaces/{ws}/scenarios/{scenario_id}",
    response=ScenarioOut,
    summary="One scenario, with its answer once worked out",
)
def scenario_read(request: WorkspaceRequest, ws: str, scenario_id: Id) -> ScenarioOut:
    _planner(request)
    return _out(scenario_get(request.workspace, scenario_id))


@router.delete(
    "/workspaces/{ws}/scenarios/{scenario_id}", response={204: None}, summary="Delete a scenario"
)
def scenario_remove(request: WorkspaceRequest, ws: str, scenario_id: Id) -> tuple[int, None]:
    _planner(request)
    services.scenario_delete(
        actor=request.user, scenario=scenario_get(request.workspace, scenario_id)
    )
    return 204, None
