"""Reads of the learnings library: full-text search (SQLite FTS5 or PostgreSQL's text search,
chosen by the database in one place), tag filters, and the learnings that fit a template or
a set of channels."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

from headway.results.reviews.models import Learning
from headway.workspaces.models import Workspace

#: Words of a query, as the search reads them (FTS5 syntax is never passed through).
_WORD = re.compile(r"\w+", re.UNICODE)
QUERY_MAX_CHARS = 200
SHOWN_MAX = 200


@dataclass(frozen=True)
class LearningFilters:
    query: str = ""
    channel_id: int | None = None
    template_id: int | None = None
    work_kind: str = ""


def _base(workspace: Workspace) -> QuerySet[Learning]:
    return Learning.objects.filter(workspace=workspace).select_related(
        "channel", "template", "review__campaign", "created_by"
    )


def _fts5_expression(query: str) -> str:
    """Every word must appear (a prefix of a longer word counts): 'creat approv' finds
    'creative approvals'. Quoting each word keeps FTS5 operators out of user text."""
    words = _WORD.findall(query)
    return " ".join(f'"{w}"*' for w in words)


def _matching(qs: QuerySet[Learning], query: str, tags: dict[str, int | str]) -> list[Learning]:
    """The one place that picks the database's full-text search: the learnings of `qs` (the
    workspace's, with `tags` as column values) whose text, audience or kind of work match
    every word, best match first."""
    if connection.vendor == "postgresql":
        vector = SearchVector("text", weight="A") + SearchVector(
            "audience", "work_kind", weight="B"
        )
        wanted = SearchQuery(_pg_expression(query), search_type="raw", config="english")
        ranked = qs.annotate(found=vector, rank=SearchRank(vector, wanted)).filter(found=wanted)
        return list(ranked.order_by("-rank", "-created_at")[:SHOWN_MAX])
    # The index drives the join: asking FTS5 about a list of rowids instead would run the
    # match once per row (minutes at 20,000 learnings).
    where = "".join(f" AND l.{column} = %s" for column in tags)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id FROM results_learning_fts JOIN results_learning l"
            " ON l.id = results_learning_fts.rowid WHERE results_learning_fts MATCH %s"
            f"{where} ORDER BY results_learning_fts.rank LIMIT %s",
            [_fts5_expression(query), *tags.values(), SHOWN_MAX],
        )
        order = {row[0]: n for n, row in enumerate(cursor.fetchall())}
    found = list(qs.filter(pk__in=list(order)))
    found.sort(key=lambda learning: order[learning.pk])
    return found


def _pg_expression(query: str) -> str:
    """The same rule as on SQLite: every word, each as a prefix ('creat' finds 'creative')."""
    return " & ".join(f"{w}:*" for w in _WORD.findall(query))


def learnings_search(workspace: Workspace, filters: LearningFilters) -> list[Learning]:
    """The workspace's learnings that match the words and every tag given, best match first
    (newest first without words); at most SHOWN_MAX."""
    tags: dict[str, int | str] = {"workspace_id": workspace.pk}
    if filters.channel_id:
        tags["channel_id"] = filters.channel_id
    if filters.template_id:
        tags["template_id"] = filters.template_id
    if filters.work_kind:
        tags["work_kind"] = filters.work_kind
    qs = Learning.objects.filter(**tags).select_related(
        "channel", "template", "review__campaign", "created_by"
    )
    query = filters.query[:QUERY_MAX_CHARS]
    if _WORD.search(query):
        return _matching(qs, query, tags)
    return list(qs[:SHOWN_MAX])


def learnings_for_template(workspace: Workspace, template_id: int | None) -> list[Learning]:
    """What was learned from campaigns made from this template, newest first."""
    if not template_id:
        return []
    return list(_base(workspace).filter(template_id=template_id)[:10])


def learnings_for_channels(workspace: Workspace, channel_ids: Iterable[int]) -> list[Learning]:
    """What was learned about these channels, newest first."""
    ids = [c for c in channel_ids if c]
    if not ids:
        return []
    return list(_base(workspace).filter(channel_id__in=ids).order_by(F("created_at").desc())[:10])
