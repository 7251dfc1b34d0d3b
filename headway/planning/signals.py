"""Planning's signals for other apps.

`plan_changed` is sent once a transaction that changed a campaign's plan has committed:
stored task dates, float or criticality moved, a task was added or removed, or the
campaign's plan dates changed. Receivers get `campaign` and `moved_task_ids` (the tasks
whose stored schedule was rewritten; possibly empty). Until the commit, the pending hook
that will send it carries the campaign's id in its attribute named by `PLAN_MARK`, so a
receiver that would act on commit anyway need not ask for it twice.
"""

from __future__ import annotations

from django.dispatch import Signal

plan_changed = Signal()
PLAN_MARK = "plan_changed_campaign_id"
