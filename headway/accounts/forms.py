from __future__ import annotations

from django import forms

from headway.core.forms import BoundedForm


class SignupForm(BoundedForm):
    name = forms.CharField(max_length=150, label="Your name")
    email = forms.EmailField(label="Email")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        label="Password",
        help_text="At least 10 characters; not a common password.",
    )
    workspace_name = forms.CharField(
        max_length=120,
        required=False,
        label="Workspace name",
        help_text="Your company, or the client you run marketing for.",
    )

    def __init__(self, *args: object, needs_workspace: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.needs_workspace = needs_workspace
        if needs_workspace:
            self.fields["workspace_name"].required = True
        else:
            del self.fields["workspace_name"]


class LoginForm(BoundedForm):
    email = forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class TokenForm(BoundedForm):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What will use it, e.g. 'weekly report script'.",
    )
