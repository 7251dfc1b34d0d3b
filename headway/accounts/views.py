from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from headway.accounts import selectors, services
from headway.accounts.addresses import client_address
from headway.accounts.forms import LoginForm, SignupForm, TokenForm
from headway.core.errors import DomainError
from headway.core.forms import add_domain_error
from headway.core.http import AuthedRequest
from headway.core.redirects import next_url as next_url_of
from headway.workspaces.services import workspace_create


def signup(request: HttpRequest) -> HttpResponse:
    next_url = next_url_of(request)
    # Someone arriving from an invitation joins that workspace instead of creating one.
    joining = bool(next_url and next_url.startswith("/invite/"))
    form = SignupForm(request.POST or None, needs_workspace=not joining)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    email=data["email"], name=data["name"], password=data["password"]
                )
                workspace = None
                if not joining:
                    workspace = workspace_create(actor=user, name=data["workspace_name"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if workspace is not None:
                messages.success(request, f"Welcome to Headway. {workspace.name} is ready.")
                return redirect("workspaces:dashboard", ws=workspace.slug)
            return redirect(next_url or "core:home")
    status = 400 if form.errors else 200
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = next_url_of(request)
    form = LoginForm(request.POST or None)
    throttle: services.LoginThrottle | None = None
    status = 0
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        address = client_address(request)
        throttle = services.login_throttle(email=email, address=address)
        if throttle is not None:
            form.add_error(None, _throttled_message(throttle, email))
            status = 429
        else:
            user = authenticate(
                request, username=email.lower(), password=form.cleaned_data["password"]
            )
            if user is None:
                services.login_failure_record(email=email, address=address)
                form.add_error(None, "That email and password do not match an account.")
            else:
                services.login_failures_clear(email=email, address=address)
                login(request, user)
                return redirect(next_url or "core:home")
    status = status or (400 if form.errors else 200)
    response = render(
        request, "accounts/login.html", {"form": form, "next": next_url}, status=status
    )
    if throttle is not None:
        response["Retry-After"] = str(math.ceil(throttle.wait.total_seconds()))
    return response


def _throttled_message(throttle: services.LoginThrottle, email: str) -> str:
    minutes = max(1, math.ceil(throttle.wait.total_seconds() / 60))
    when = f"{minutes} minute{'s' if minutes != 1 else ''}"
    if throttle.whole_address:
        return (
            f"Too many failed sign-ins from your network address. Try again in {when}; "
            "signing in from another network works now."
        )
    return (
        f"Too many failed attempts for {email} from here. Try again in {when}, "
        "or reset your password."
    )


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.token_create(actor=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": selectors.tokens_for_user(request.user),
    }
    return render(request, "accounts/tokens.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = selectors.token_get(request.user, token_id)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"Token “{token.name}” revoked: scripts using it stop working now.")
    return redirect("accounts:tokens")
