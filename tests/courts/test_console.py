"""The clerks' console for courts: each clerk sees their own court; PSC staff see all."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.models import User
from courts.models import CourtStaff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_courts", verbosity=0)
    call_command("load_demo_accounts", verbosity=0)
    call_command("load_demo_clerks", verbosity=0)


def test_demo_clerks_load_once_with_their_courts(demo, capsys):
    call_command("load_demo_clerks")
    assert "exists" in capsys.readouterr().out
    assert set(CourtStaff.objects.values_list("user__username", "court_id")) == {
        ("arebclerk", "areb"),
        ("arwbclerk", "arwb"),
        ("azbclerk1", "azb"),
        ("flsbclerk", "flsb"),
    }
    assert User.objects.get(username="azbclerk1").is_staff


def test_a_clerk_sees_only_their_court_in_the_console(client, demo):
    client.force_login(User.objects.get(username="azbclerk1"))
    listing = client.get("/console/courts/court/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert client.get("/console/courts/court/azb/change/").status_code == 200
    # Another court's record: as if it did not exist.
    response = client.get("/console/courts/court/areb/change/")
    assert response.status_code == 404
    assert client.get("/console/courts/court/nosuch/change/").status_code == 404
    assert client.get("/console/courts/courtstaff/add/").status_code == 403


def test_psc_staff_see_every_court(client, demo):
    client.force_login(User.objects.get(username="pscstaff"))
    assert client.get("/console/courts/court/").context["cl"].result_count == 208


def test_the_console_never_edits_a_court_directly(client, demo):
    client.force_login(User.objects.get(username="pscstaff"))
    response = client.post(
        "/console/courts/court/azb/change/", {"nextgen_date": "2030-01-01", "name": "X"}
    )
    assert response.status_code == 403
    from courts.models import Court

    azb = Court.objects.get(pk="azb")
    assert str(azb.nextgen_date) == "2021-06-28"
    assert azb.name == "Arizona Bankruptcy Court"


def test_pacer_service_center_staff_without_superuser_rights_see_every_court(client, demo):
    from courts.services import make_psc_staff
    from tests.factories import UserFactory

    member = UserFactory(username="pscmember1", with_totp=True)  # the console requires MFA
    make_psc_staff(user=member)
    client.force_login(member)
    assert client.get("/console/courts/court/").context["cl"].result_count == 208
    assert client.get("/console/courts/courtstaff/add/").status_code == 200
    assert client.get("/courts/azb/schedule/").status_code == 200
    assert client.get("/console/core/clockchange/add/").status_code == 200


def test_a_psc_member_who_leaves_a_clerk_role_keeps_console_access(demo):
    from courts import services
    from courts.models import Court
    from cso_portal import clock
    from tests.factories import UserFactory

    member = UserFactory(username="pscmember2")
    services.make_psc_staff(user=member)
    azb = Court.objects.get(pk="azb")
    services.add_court_staff(court=azb, user=member, role="clerk", now=clock.now())
    services.remove_court_staff(court=azb, user=member)
    member.refresh_from_db()
    assert member.is_staff
