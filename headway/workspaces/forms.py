from __future__ import annotations

from django import forms

from headway.core.forms import BoundedForm
from headway.workspaces.models import Role, WorkspaceKind

INVITABLE_ROLES = [(r.value, r.label) for r in Role if r != Role.OWNER]


class WorkspaceForm(BoundedForm):
    name = forms.CharField(max_length=120, label="Workspace name")
    kind = forms.ChoiceField(choices=WorkspaceKind.choices, initial=WorkspaceKind.ORGANISATION)


class InvitationForm(BoundedForm):
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    email = forms.EmailField(
        required=False,
        label="Email (optional)",
        help_text="With an email, only that person can use the link, and it is sent to them.",
    )


class RoleForm(BoundedForm):
    role = forms.ChoiceField(choices=Role.choices)
