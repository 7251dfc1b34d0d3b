"""The stale-edit guard: a row several people edit carries a version, every write bumps it,
and a write made from an older version is refused instead of silently overwriting."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone

from headway.core.errors import Conflict
from headway.core.models import TimestampedModel


class VersionedModel(TimestampedModel):
    """A row people edit from a copy they opened earlier (a form, an API read): `version`
    counts its writes, so a write can say which one it started from."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class StaleEdit(Conflict):
    """The row changed since the writer read it: nothing was written."""

    code = "stale"


def guarded_update(obj: VersionedModel, fields: dict[str, Any], *, expected: int | None) -> None:
    """Writes `fields` to `obj`'s row and bumps its version, in one `UPDATE ... WHERE version =
    expected`, so of two writers that read the same version exactly one wins and the other
    gets `StaleEdit` (409, naming the `version` field). `expected=None` is a write that starts
    from no copy (a status the rules moved, an approval's outcome): it bumps the version
    without comparing it. `obj` is reloaded from its row afterwards."""
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    updated = rows.update(version=F("version") + 1, updated_at=timezone.now(), **fields)
    if not updated:
        raise StaleEdit(
            f"Someone else changed “{obj}” while you were editing it. "
            "Reload to see their changes, then make yours again.",
            field="version",
        )
    obj.refresh_from_db()
