"""Stored answers of the results pages: the month links, a month's report and an attribution
report, computed once for the inputs they depend on and kept in StoredAnswer, so the first
page after an import reads what the background job (headway.results.warm_jobs) computed
instead of working it out inside the request.

A reader gives the answer's kind, its parameters (the month, the period) and a digest of its
inputs (the rollups' fingerprint, the targets, the rates, ...). A stored answer with the same
digest is returned; otherwise the answer is computed, stored with the time it was computed,
and returned: a page never shows an answer computed from other inputs than its own.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable
from typing import TypeVar, cast

from django.db import DatabaseError, transaction
from django.utils import timezone

from headway.results.rollup_models import AnswerKind, StoredAnswer

logger = logging.getLogger(__name__)
T = TypeVar("T")

#: Part of every digest: a change to the shape of a stored answer's classes bumps it, so an
#: answer pickled by older code is computed again rather than read wrongly.
ANSWER_VERSION = "1"


def inputs_digest(*parts: object) -> str:
    """A digest of everything an answer was computed from (reprs of plain values)."""
    return hashlib.sha256(repr((ANSWER_VERSION, *parts)).encode()).hexdigest()


def stored_answer(
    workspace_id: int, kind: AnswerKind, params: str, inputs: str, compute: Callable[[], T]
) -> T:
    """The answer stored for (kind, params) when it was computed from `inputs`; else
    compute() (one query when stored; a read and a write besides compute() otherwise)."""
    found = (
        StoredAnswer.objects.filter(workspace_id=workspace_id, kind=kind, params=params)
        .values_list("inputs", "value")
        .first()
    )
    if found is not None and found[0] == inputs:
        try:
            return cast(T, pickle.loads(bytes(found[1])))
        except Exception:  # written by other code: computed again below
            logger.warning("stored %s answer %s unreadable; computed again", kind, params)
    value = compute()
    answer_store(workspace_id, kind, params, inputs, value)
    return value


def answer_store(
    workspace_id: int, kind: AnswerKind, params: str, inputs: str, value: object
) -> None:
    """Keeps the answer for (kind, params), replacing an older one. A failure to store is
    logged, never an error page: the next reader computes it again."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        with transaction.atomic():  # a failure leaves the request's transaction usable
            StoredAnswer.objects.bulk_create(  # one INSERT ... ON CONFLICT DO UPDATE
                [
                    StoredAnswer(
                        workspace_id=workspace_id,
                        kind=kind,
                        params=params,
                        inputs=inputs,
                        value=data,
                        computed_at=timezone.now(),
                    )
                ],
                update_conflicts=True,
                unique_fields=["workspace", "kind", "params"],
                update_fields=["inputs", "value", "computed_at", "updated_at"],
            )
    except DatabaseError:
        logger.warning("%s answer %s of workspace %s not stored", kind, params, workspace_id)


def answer_is_stored(workspace_id: int, kind: AnswerKind, params: str, inputs: str) -> bool:
    return StoredAnswer.objects.filter(
        workspace_id=workspace_id, kind=kind, params=params, inputs=inputs
    ).exists()
