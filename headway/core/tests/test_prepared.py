from __future__ import annotations

import pytest
from django.db.models import F, QuerySet

from headway.accounts.services import token_create
from headway.activity.models import Event
from headway.conftest import Team
from headway.core.prepared import PreparedRead
from headway.workspaces.models import Membership

pytestmark = pytest.mark.django_db


def _memberships(slug: str, role: str) -> QuerySet[Membership]:
    return (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace__slug=slug, role=role)
        .annotate(user_email=F("user__email"))
        .order_by("pk")
    )


def test_a_prepared_read_gives_what_its_queryset_gives_for_each_value(
    team: Team, other_team: Team
) -> None:
    read = PreparedRead(_memberships, slug="\x00slug", role="\x00role")
    for ws, role in [(team.workspace, "admin"), (other_team.workspace, "owner")]:
        got = read.all(slug=ws.slug, role=role)
        want = list(_memberships(ws.slug, role))
        assert [m.pk for m in got] == [m.pk for m in want] and len(got) == 1
        m, w = got[0], want[0]
        # fields converted as the ORM converts them, related objects and annotations set
        assert (m.created_at, m.role, m.user_email) == (w.created_at, w.role, w.user_email)
        assert m.workspace == ws and m.workspace.slug == ws.slug
        assert m.user.email == w.user.email and not m._state.adding
    assert read.all(slug=team.workspace.slug, role="nobody") == []
    assert read.first(slug="no-such-workspace", role="owner") is None


def test_a_prepared_read_of_rows_and_of_a_json_key(team: Team) -> None:
    token_create(actor=team.owner, name="deploy script")
    token_create(actor=team.admin, name="report")
    read = PreparedRead(
        lambda name: Event.objects.filter(changes__name__1=name).values_list("actor_id").order_by(),
        rows=True,
        name="\x00name",
    )
    assert read.all(name="deploy script") == [(team.owner.pk,)]
    assert read.all(name="report") == [(team.admin.pk,)]
    assert read.all(name="nothing") == []


def test_a_placeholder_the_sql_does_not_hold_is_refused() -> None:
    read = PreparedRead(lambda pk: Membership.objects.filter(pk__gt=0), pk=-918_273_645)
    with pytest.raises(ValueError, match="placeholder for 'pk' is 0 times"):
        read.all(pk=1)
    twice = PreparedRead(lambda pk: Membership.objects.filter(pk=pk, user_id=pk), pk=-9)
    with pytest.raises(ValueError, match="is 2 times"):
        twice.all(pk=1)


def test_a_value_no_integer_column_holds_finds_nothing(team: Team) -> None:
    read = PreparedRead(
        lambda pk: Membership.objects.filter(pk=pk).values_list("pk"), rows=True, pk=-918_273_645
    )
    assert read.all(pk=2**70) == [] and read.all(pk=-(2**64)) == []
    assert read.all(pk=team.membership(team.owner).pk) == [(team.membership(team.owner).pk,)]


def test_an_id_beyond_any_integer_column_is_not_found_on_a_route(team: Team) -> None:
    from headway.conftest import client_for

    ws = team.workspace.slug
    for path in (f"/api/v1/workspaces/{ws}/campaigns/{2**70}", f"/w/{ws}/campaigns/{2**70}/"):
        assert client_for(team.owner).get(path).status_code == 404, path
