"""The OpenAPI description is the API's contract: every operation says what it answers on
success and on error, so clients (and the fuzz test) can check every body."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from ninja import Schema

from headway.api.errors import ERROR_STATUSES
from headway.api.root import api

pytestmark = pytest.mark.django_db


def _operations(client: Client) -> Iterator[tuple[str, dict[str, Any]]]:
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_describes_its_success_body(client: Client) -> None:
    untyped = []
    for name, operation in _operations(client):
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        if not successes:
            untyped.append(f"{name}: no 2xx response")
        for status, response in successes.items():
            if status == "204":
                continue
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if not schema:
                untyped.append(f"{name}: {status} has no schema")
    assert untyped == []


def test_every_operation_documents_the_error_statuses(client: Client) -> None:
    for name, operation in _operations(client):
        missing = set(ERROR_STATUSES) - set(operation["responses"])
        assert not missing, f"{name} does not document {sorted(missing)}"


def _vague(annotation: Any) -> bool:
    """True when a return annotation says nothing about the body: missing, `object`, `Any`,
    or a container of them (`dict[str, Any]`, `tuple[int, Any]`)."""
    if annotation in (inspect.Signature.empty, object, Any):
        return True
    return any(_vague(a) for a in typing.get_args(annotation))


def test_every_endpoint_has_a_real_return_annotation() -> None:
    vague = []
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                view = inspect.unwrap(operation.view_func)
                hints = typing.get_type_hints(view)
                if _vague(hints.get("return", inspect.Signature.empty)):
                    vague.append(f"{view.__module__}.{view.__name__}")
    assert vague == []


def test_the_check_sees_a_vague_annotation() -> None:
    assert _vague(object)
    assert _vague(dict[str, Any])
    assert _vague(tuple[int, Any])
    assert not _vague(tuple[int, None])
    assert not _vague(dict[str, list[int]])
    assert not _vague(int | None)


def test_no_two_schemas_share_a_name() -> None:
    """The OpenAPI description names each schema by its class: two classes of one name (one
    per app) would describe one of them with the other's fields."""
    api.get_openapi_schema()  # every router imported
    seen: dict[str, str] = {}
    clashes = []
    for cls in _subclasses(Schema):
        module = cls.__module__
        if module.startswith("headway.") and seen.setdefault(cls.__name__, module) != module:
            clashes.append(f"{cls.__name__}: {seen[cls.__name__]} and {module}")
    assert clashes == []


def _subclasses(base: type) -> list[type]:
    out: list[type] = []
    subs: list[type] = base.__subclasses__()
    for sub in subs:
        out += [sub, *_subclasses(sub)]
    return out
