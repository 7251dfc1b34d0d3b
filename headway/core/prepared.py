"""ORM reads compiled to SQL once, for the few reads every API request makes.

Building and compiling a queryset costs the ORM far more than running it: a read of a
membership with its workspace and user is about 1 ms of CPU to compile and 0.05 ms in
SQLite. A `PreparedRead` builds its queryset once per database with placeholder values,
keeps the compiled SQL, and runs it again with the real values, turning the rows into
model instances (with their `select_related` objects and annotations) as the queryset
would. Use it only for queries whose SQL does not depend on the values: plain comparisons
of single values, no `__in` lists, and never None (which compiles to IS NULL).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    # position in params -> the name of the value that goes there, and how it is passed
    slots: dict[int, tuple[str, Callable[[Any], Any]]]
    compiler: Any
    instances: bool
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    annotations: dict[str, int]
    converters: dict[int, Any]  # column -> how the ORM converts its values from the database


_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def _same(value: Any) -> Any:
    return value


def _adapter(param: Any, placeholder: Any) -> Callable[[Any], Any] | None:
    """How a value is passed where the compiled `param` holds `placeholder`: as it is, or as
    the JSON a lookup into a JSON field compiles it to (text on SQLite, a Jsonb wrapper on
    PostgreSQL); None when `param` is not the placeholder."""
    if type(param) is type(placeholder) and param == placeholder:
        return _same
    if isinstance(param, str) and param == json.dumps(placeholder):
        return json.dumps
    if not isinstance(param, str) and getattr(param, "obj", None) == placeholder:
        return type(param)
    return None


class PreparedRead:
    """`build(**placeholders)` returns the queryset; `placeholders` are values no real
    request uses (distinct from each other and from the query's fixed values), by which the
    compiled parameters are found. `rows=True` reads tuples (a `values_list` queryset)."""

    def __init__(
        self, build: Callable[..., QuerySet[Any]], *, rows: bool = False, **placeholders: Any
    ) -> None:
        self.build = build
        self.rows = rows
        self.placeholders = placeholders
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build(**self.placeholders)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots: dict[int, tuple[str, Callable[[Any], Any]]] = {}
        for name, placeholder in self.placeholders.items():
            found = []
            for i, param in enumerate(params):
                adapt = _adapter(param, placeholder)
                if adapt is not None:
                    found.append((i, adapt))
            if len(found) != 1:
                raise ValueError(
                    f"The placeholder for {name!r} is {len(found)} times among the compiled "
                    f"parameters {params!r}: give it a value found once."
                )
            slots[found[0][0]] = (name, found[0][1])
        columns = [s[0] for s in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("A prepared read cannot select a composite primary key.")
        start = end = 0
        init_list: list[str] = []
        populators: list[Any] = []
        instances = not self.rows
        if instances:
            select, klass_info = compiler.select, compiler.klass_info
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            init_list = [f[0].target.attname for f in select[start:end]]
            populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]
        return _Compiled(
            sql,
            tuple(params),
            slots,
            compiler,
            instances,
            init_list,
            start,
            end,
            populators,
            dict(compiler.annotation_col_map or {}),
            compiler.get_converters(columns),
        )

    def compiled(self, alias: str = "default") -> _Compiled:
        found = self._compiled.get(alias)
        if found is None:
            with self._lock:
                found = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = found
        return found

    def all(self, alias: str = "default", **values: Any) -> list[Any]:
        """The instances (or tuples) the queryset built with `values` would give."""
        c = self.compiled(alias)
        if values.keys() != self.placeholders.keys():
            raise TypeError(f"Give exactly these values: {sorted(self.placeholders)}.")
        if any(isinstance(v, int) and not _INT_MIN <= v <= _INT_MAX for v in values.values()):
            return []  # no integer column holds it (the ORM answers no rows too)
        params = list(c.params)
        for i, (name, adapt) in c.slots.items():
            params[i] = adapt(values[name])
        with connections[alias].cursor() as cursor:
            cursor.execute(c.sql, params)
            fetched = cursor.fetchall()
        converted = (
            map(tuple, c.compiler.apply_converters(fetched, c.converters))
            if c.converters
            else fetched
        )
        if not c.instances:
            return list(converted)
        model = c.compiler.klass_info["model"]
        out = []
        for row in converted:
            obj = model.from_db(alias, c.init_list, row[c.start : c.end])
            for populator in c.populators:
                populator.populate(row, obj)
            for name, position in c.annotations.items():
                setattr(obj, name, row[position])
            out.append(obj)
        return out

    def first(self, alias: str = "default", **values: Any) -> Any:
        found = self.all(alias, **values)
        return found[0] if found else None
