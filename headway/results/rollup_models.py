"""Monthly rollups of the imported rows, so the results report reads a few thousand sums per
month instead of every daily row.

One MonthRollup row per (workspace, month, campaign, channel, source, currency, name, detail):
the finest grain the report shows (its content lines), so by campaign, channel, content and
month all come from it. Rows without a day (a file's whole period) count in the month that
holds their period; a period across months is left out, as the monthly report leaves it out.

Maintained when an import is stored or removed (its period's months are summed again once
the transaction commits: the dated rows are summed by one INSERT ... SELECT ... GROUP BY
month in the database) and when a matching rule moves rows (the months of its campaign's
rows). RollupState keeps a fingerprint of the imports and rules the rollups were built from;
a reader finding it stale (rows written some other way, a campaign deleted) rebuilds the
workspace's rollups before reading, so a report is never built from stale sums.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.db.models import Count, F, Func, Max, Sum, Value
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from headway.results.sources.base import METRICS

logger = logging.getLogger(__name__)
GROUP = ("campaign_id", "channel", "source", "currency", "campaign_name", "detail")


class MonthRollup(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()  # the month's first day
    # Not a foreign key: a deleted campaign's sums go with the next rebuild (see the module).
    campaign_id = models.IntegerField(null=True, blank=True)
    channel = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=30)
    currency = models.CharField(max_length=3, blank=True)
    campaign_name = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    rows = models.PositiveIntegerField(default=0)
    impressions = models.BigIntegerField(default=0)
    clicks = models.BigIntegerField(default=0)
    spend = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    conversions = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    conversion_value = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    leads = models.BigIntegerField(default=0)
    qualified_leads = models.BigIntegerField(default=0)
    deals = models.BigIntegerField(default=0)
    revenue = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    sessions = models.BigIntegerField(default=0)
    key_events = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    recipients = models.BigIntegerField(default=0)
    opens = models.BigIntegerField(default=0)
    email_clicks = models.BigIntegerField(default=0)
    unsubscribes = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["workspace", "month"], name="results_rollup_ws_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.source} {self.campaign_name}"


class RollupState(models.Model):
    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(max_length=200)
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.workspace_id} {self.fingerprint}"


class AnswerKind(models.TextChoices):
    HEADLINES = "headlines", "Month links of the results page"
    REPORT = "report", "A month's results report"
    ATTRIBUTION = "attribution", "An attribution report"


class StoredAnswer(models.Model):
    """A derived answer a page shows (see headway.results.answers), stored with the time it
    was computed and a digest of everything it was computed from: a page reads it while the
    digest still matches, and a background job computes it again after an import."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AnswerKind.choices)
    params = models.CharField(max_length=200)  # the month, period and options it answers
    inputs = models.CharField(max_length=64)  # digest of what it was computed from
    value = models.BinaryField()  # the answer, pickled (written only by this code)
    computed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["workspace", "kind", "params"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "params"], name="results_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workspace_id} {self.kind} {self.params}"


# Building ---------------------------------------------------------------------------------


def fingerprint(workspace_id: int) -> str:
    """What the rollups depend on: the imports stored and the rules (two small queries)."""
    from headway.results.models import Import, MatchRule

    imports = Import.objects.filter(workspace_id=workspace_id).aggregate(
        n=Count("id"), top=Max("id")
    )
    rules = MatchRule.objects.filter(workspace_id=workspace_id).aggregate(
        n=Count("id"), top=Max("updated_at")
    )
    top = rules["top"].isoformat() if rules["top"] else "-"
    return f"i{imports['n']}:{imports['top']}|r{rules['n']}:{top}"


def _first_days(start: dt.date, end: dt.date) -> list[dt.date]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _month_of(field: str) -> Func:
    """The first day of a date column's month, worked out by the database. On SQLite
    Django's TruncMonth calls a Python function for every row (about 7 s of a million-row
    import); strftime is SQLite's own, and the backend reads its 'YYYY-MM-01' as a date."""
    if connection.vendor == "sqlite":
        return Func(
            Value("%Y-%m-01"), F(field), function="strftime", output_field=models.DateField()
        )
    return TruncMonth(field, output_field=models.DateField())


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _column(meta: Any, name: str) -> str:
    field = meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return str(field.column)


def _insert_dated(workspace_id: int, months: list[dt.date] | None) -> int:
    """Sums the rows with a day into rollups in one INSERT ... SELECT ... GROUP BY month, so
    no row nor rollup passes through Python (a million-row import's months: ~32,000 rollups,
    which bulk_create spent seconds building); the number of rollups written."""
    from headway.results.models import ResultRow

    q = connection.ops.quote_name
    source, target = ResultRow._meta, MonthRollup._meta
    column = {f: q(_column(source, f)) for f in (*GROUP, *METRICS, "day", "id")}
    day = column["day"]
    if connection.vendor == "sqlite":
        month = f"strftime('%%Y-%%m-01', {day})"
    else:
        month = f"CAST(date_trunc('month', {day}) AS date)"
    sums = []
    for m in METRICS:
        total = f"SUM({column[m]})"
        if source.get_field(m).get_internal_type() == "DecimalField":
            total = f"ROUND({total}, 2)"  # SQLite sums decimals as floats
        sums.append(f"COALESCE({total}, 0)")
    texts = ("channel", "currency", "campaign_name", "detail")
    picked = [f"COALESCE({column[g]}, '')" if g in texts else column[g] for g in GROUP]
    names = ["workspace_id", "month", *GROUP, "rows", *METRICS]
    into = ", ".join(q(_column(target, n)) for n in names)
    where = [f"{q(_column(source, 'workspace'))} = %s", f"{day} IS NOT NULL"]
    params: list[Any] = [workspace_id, workspace_id]
    if months is not None:
        where.append("(" + " OR ".join(f"{day} BETWEEN %s AND %s" for _ in months) + ")")
        for first in months:
            params += [
                connection.ops.adapt_datefield_value(first),
                connection.ops.adapt_datefield_value(_month_end(first)),
            ]
    sql = (
        f"INSERT INTO {q(target.db_table)} ({into}) "
        f"SELECT %s, {month}, {', '.join(picked)}, COUNT({column['id']}), {', '.join(sums)} "
        f"FROM {q(source.db_table)} WHERE {' AND '.join(where)} "
        f"GROUP BY {month}, {', '.join(column[g] for g in GROUP)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _summed(workspace_id: int, months: list[dt.date] | None) -> list[MonthRollup]:
    """The rollups of rows without a day (a file's whole period) that fall in one month."""
    from headway.results.models import ResultRow

    sums = {m: Sum(m) for m in METRICS}
    out = []
    whole = ResultRow.objects.filter(
        workspace_id=workspace_id, day__isnull=True, period_start__isnull=False
    )
    if months is not None:
        whole = whole.filter(
            period_start__gte=min(months), period_start__lte=_month_end(max(months))
        )
    for r in (
        whole.values("period_start", "period_end", *GROUP)
        .annotate(rows=Count("id"), **sums)
        .order_by()
    ):
        start, end = r.pop("period_start"), r.pop("period_end")
        month = start.replace(day=1)
        if end is None or end > _month_end(month) or (months is not None and month not in months):
            continue
        out.append(MonthRollup(workspace_id=workspace_id, month=month, **_fields(r)))
    return out


def _fields(r: dict[str, Any]) -> dict[str, Any]:
    month = r.pop("month", None)
    if isinstance(month, dt.datetime):
        month = month.date()
    fields = {k: (v if v is not None else 0) for k, v in r.items() if k in METRICS}
    fields |= {k: r[k] for k in GROUP}
    fields["rows"] = r.get("rows") or 0
    if month is not None:
        fields["month"] = month
    for k in ("channel", "currency", "campaign_name", "detail"):
        fields[k] = fields[k] or ""
    return fields


@transaction.atomic
def rollup_rebuild(workspace_id: int, months: Iterable[dt.date] | None = None) -> int:
    """Sums the months given again (all, without `months`, or when the workspace has no
    rollups yet) and records the fingerprint; the number of rollup rows written."""
    wanted = sorted({m.replace(day=1) for m in months}) if months is not None else None
    if not RollupState.objects.filter(workspace_id=workspace_id).exists():
        wanted = None
    if wanted == []:
        return 0
    old = MonthRollup.objects.filter(workspace_id=workspace_id)
    if wanted is not None:
        old = old.filter(month__in=wanted)
    old.delete()
    dated = _insert_dated(workspace_id, wanted)
    made = MonthRollup.objects.bulk_create(_summed(workspace_id, wanted), batch_size=2000)
    RollupState.objects.update_or_create(
        workspace_id=workspace_id,
        defaults={"fingerprint": fingerprint(workspace_id), "refreshed_at": timezone.now()},
    )
    return dated + len(made)


def rollups_ready(workspace_id: int) -> str:
    """Rebuilds the workspace's rollups when they are missing or stale (see the module); a
    key that changes whenever they change (the fingerprint and the moment they were built),
    for caching what is read from them."""
    current = fingerprint(workspace_id)
    state = (
        RollupState.objects.filter(workspace_id=workspace_id)
        .values_list("fingerprint", "refreshed_at")
        .first()
    )
    if state is None or state[0] != current:
        rollup_rebuild(workspace_id)
        state = (
            RollupState.objects.filter(workspace_id=workspace_id)
            .values_list("fingerprint", "refreshed_at")
            .get()
        )
    return f"{state[0]}@{state[1].isoformat()}"


def rollups_fresh(workspace_id: int) -> str | None:
    """rollups_ready's key when the rollups are up to date, else None; never rebuilds (for
    pages that show a side note and must not pay for a rebuild inside their request)."""
    state = (
        RollupState.objects.filter(workspace_id=workspace_id)
        .values_list("fingerprint", "refreshed_at")
        .first()
    )
    if state is None or state[0] != fingerprint(workspace_id):
        return None
    return f"{state[0]}@{state[1].isoformat()}"


# Keeping them up to date ------------------------------------------------------------------


def _quietly(workspace_id: int, months: Any) -> None:
    """A rebuild after the change committed: a failure must not turn the stored import into
    an error page; the rollups stay stale and the next reader rebuilds them. Then the
    answers the results pages open on are computed again in the background."""
    from headway.results.warm_jobs import results_answers_soon

    try:
        rollup_rebuild(workspace_id, months() if callable(months) else months)
    except DatabaseError:
        logger.exception("results rollups of workspace %s not rebuilt", workspace_id)
    try:
        results_answers_soon(workspace_id)
    except DatabaseError:
        logger.exception("results answers of workspace %s not queued", workspace_id)


def _later(workspace_id: int, months: list[dt.date] | None) -> None:
    transaction.on_commit(lambda: _quietly(workspace_id, months))


def _import_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.period_start is not None and instance.period_end is not None:
        _later(instance.workspace_id, _first_days(instance.period_start, instance.period_end))


def _months_of(rows: Any) -> list[dt.date]:
    """The months that hold these ResultRows (dated rows, and whole-period rows by their
    start)."""
    dated = rows.filter(day__isnull=False).values_list(_month_of("day"), flat=True)
    whole = rows.filter(day__isnull=True, period_start__isnull=False).values_list(
        _month_of("period_start"), flat=True
    )
    return [_as_date(d) for d in {*dated.distinct().order_by(), *whole.distinct().order_by()}]


def months_of_names(workspace_id: int, names: Iterable[str]) -> list[dt.date]:
    """The months holding the workspace's rows with these campaign names."""
    from headway.results.models import ResultRow

    return _months_of(
        ResultRow.objects.filter(workspace_id=workspace_id, campaign_name__in=list(names))
    )


def _rule_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from headway.results.models import ResultRow

    def months() -> list[dt.date]:
        return _months_of(
            ResultRow.objects.filter(
                workspace_id=instance.workspace_id, campaign_id=instance.campaign_id
            )
        )

    workspace_id = instance.workspace_id
    transaction.on_commit(lambda: _quietly(workspace_id, months))


def _campaign_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    RollupState.objects.filter(workspace_id=instance.workspace_id).delete()


_MATCHED_BY = frozenset({"utm_campaign", "platform_names"})


def _campaign_event(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    """A campaign was created, or its UTM value or platform names changed (its activity event
    says so): once that commits, the stored rows are matched again (a new campaign: only the
    rows no campaign claims; see results.services.rows_rematch)."""
    if not created or instance.object_type != "planning.campaign" or not instance.workspace_id:
        return
    changed = _MATCHED_BY & set(instance.changes or {})
    if instance.verb == "created":
        unmatched_only = True  # a new campaign can only claim rows nobody has
    elif instance.verb == "updated" and changed:
        unmatched_only = False
    else:
        return
    workspace_id = instance.workspace_id

    def rematch() -> None:
        from headway.results.services import rows_rematch
        from headway.workspaces.models import Workspace

        try:
            rows_rematch(Workspace.objects.get(pk=workspace_id), unmatched_only=unmatched_only)
        except DatabaseError:
            logger.exception("results rows of workspace %s not matched again", workspace_id)

    transaction.on_commit(rematch)


def connect() -> None:
    from headway.activity.models import Event
    from headway.planning.models import Campaign
    from headway.results.models import Import, MatchRule

    post_save.connect(_campaign_event, sender=Event, dispatch_uid="results_rematch_campaign")

    post_save.connect(_import_changed, sender=Import, dispatch_uid="results_rollup_import")
    post_delete.connect(_import_changed, sender=Import, dispatch_uid="results_rollup_import_del")
    post_save.connect(_rule_changed, sender=MatchRule, dispatch_uid="results_rollup_rule")
    post_delete.connect(
        _campaign_deleted, sender=Campaign, dispatch_uid="results_rollup_campaign_del"
    )
