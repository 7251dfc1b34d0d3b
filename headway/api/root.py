"""The JSON API under /api/v1: one NinjaAPI, each app contributing its router."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from headway.api.auth import HeadwayAuth
from headway.api.errors import ERROR_STATUSES, error_body
from headway.api.schemas import ErrorOut
from headway.core.errors import DomainError

logger = logging.getLogger("headway.api")


class HeadwayAPI(NinjaAPI):
    """The API whose description lists, for every operation, the errors it may answer."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        ref = {"$ref": "#/components/schemas/ErrorOut"}
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    content = {"application/json": {"schema": ref}}
                    responses.setdefault(status, {"description": description, "content": content})
        return schema


api = HeadwayAPI(
    title="Headway API",
    version="1",
    description=(
        "The execution layer under a marketing plan. Authenticate with a personal API token "
        "(`Authorization: Bearer hw_...`, created with `headway token create` or on the "
        "Tokens page) or, from the browser, with the session and its CSRF token. Errors are "
        '`{"code", "message", "field"}`.'
    ),
    auth=HeadwayAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


def error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    **extra: Any,
) -> HttpResponse:
    return api.create_response(request, error_body(code, message, field, **extra), status=status)


_SOURCES = ("body", "query", "path", "header", "cookie", "form", "file")


def _field_of(loc: list[Any] | tuple[Any, ...]) -> str | None:
    """The field as the client named it: `("body", "payload", "metrics", 0, "target")` is
    `metrics.0.target` (the source and the body parameter's own name are dropped)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and len(parts) > 1:
            parts = parts[1:]
    return ".".join(parts) or None


def _message_of(e: dict[str, Any]) -> str:
    """pydantic's message, except for text too long: a length checked after SafeStr's own
    validator is reported as a count of items of a "Value" (a list says "List")."""
    ctx = e.get("ctx") or {}
    if e.get("type") == "too_long" and ctx.get("field_type") == "Value":
        most, length = ctx.get("max_length", 0), ctx.get("actual_length", 0)
        return f"At most {most:,} characters are allowed; this has {length:,}."
    return str(e.get("msg", "invalid value"))


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"field": _field_of(e.get("loc", ())), "message": _message_of(e)} for e in exc.errors
    ]
    first = details[0] if details else {"field": None, "message": "The request is not valid."}
    where = f" (field {first['field']})" if first["field"] else ""
    return error(
        request,
        422,
        "validation_error",
        f"{first['message']}{where}",
        first["field"],
        errors=details,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(
        request,
        401,
        "unauthenticated",
        "Authentication required: send 'Authorization: Bearer <token>' with an active token.",
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or "You may not do this.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "error", str(exc))


@api.exception_handler(ObjectDoesNotExist)
def on_missing_object(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return error(
        request,
        413,
        "too_large",
        f"The request body is larger than {limit:,} bytes; send less (files go as uploads).",
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered in the documented shape whatever DEBUG is."""
    logger.exception("Unhandled error in %s %s", request.method, request.path)
    return error(request, 500, "server_error", "Something went wrong on our side; it was logged.")


def _add_routers() -> None:
    from headway.accounts.api import router as accounts_router
    from headway.activity.api import router as activity_router
    from headway.api.plans import router as plans_router
    from headway.approvals.api import router as approvals_router
    from headway.capacity.api import router as capacity_router
    from headway.capacity.scenarios_api import router as scenarios_router
    from headway.insights.api import router as insights_router
    from headway.planning.api import router as planning_router
    from headway.publishing.api import router as publishing_router
    from headway.results.api import router as results_router
    from headway.results.attribution_api import router as attribution_router
    from headway.workspaces.api import router as workspaces_router

    api.add_router("", accounts_router)
    api.add_router("", workspaces_router)
    api.add_router("", activity_router)
    api.add_router("", plans_router)
    api.add_router("", planning_router)
    api.add_router("", approvals_router)
    api.add_router("", publishing_router)
    api.add_router("", insights_router)
    api.add_router("", capacity_router)
    api.add_router("", scenarios_router)
    api.add_router("", results_router)
    api.add_router("", attribution_router)


_add_routers()
