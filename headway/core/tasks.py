"""Background jobs: django-tasks on its database backend, run by `headway worker`.

A job declared with `retried_task` that raises is enqueued again after a pause that
doubles with each attempt, up to the attempt limit, and each failure is recorded in the
activity log of the workspace named by its `workspace_id` argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from headway.activity.services import task_failure_record


def retry_delay(attempt: int) -> dt.timedelta:
    """The pause before attempt `attempt + 1`: the base delay doubled per earlier attempt."""
    return dt.timedelta(seconds=settings.TASK_RETRY_BASE_SECONDS * 2 ** (attempt - 1))


def retried_task(
    *, max_attempts: int | None = None, queue_name: str = "default"
) -> Callable[[Callable[..., Any]], Task[..., Any]]:
    def decorate(func: Callable[..., Any]) -> Task[..., Any]:
        @wraps(func)
        def run(*args: Any, attempt: int = 1, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                limit = max_attempts or settings.TASK_MAX_ATTEMPTS
                retry_at = None
                if attempt < limit:
                    retry_at = timezone.now() + retry_delay(attempt)
                    job.using(run_after=retry_at).enqueue(*args, attempt=attempt + 1, **kwargs)
                task_failure_record(
                    workspace_id=kwargs.get("workspace_id"),
                    task_name=f"{func.__module__}.{func.__qualname__}",
                    error=f"{type(exc).__name__}: {exc}",
                    attempt=attempt,
                    max_attempts=limit,
                    retry_at=retry_at,
                )
                raise

        job: Task[..., Any] = task(queue_name=queue_name)(run)
        return job

    return decorate


@retried_task()
def send_email_job(
    *, subject: str, body: str, to: list[str], workspace_id: int | None = None
) -> int:
    """Sends one plain-text email; notification code enqueues this instead of sending inline."""
    from django.core.mail import send_mail

    return send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
