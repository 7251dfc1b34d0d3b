"""The API shape of campaign health, shared by the health routes and planning's campaign list
(kept outside both API packages so neither imports the other)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class PersonRef(Schema):
    id: int
    name: str


class ObjectRef(Schema):
    kind: str
    id: int | None
    url: str


class ReasonOut(Schema):
    code: str
    text: str
    owner: PersonRef | None
    object: ObjectRef


class HealthOut(Schema):
    state: str
    reasons: list[ReasonOut]
    since: dt.datetime
