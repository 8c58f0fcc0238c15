"""PACER Service Center actions in the console: case search status and unlocking."""

from __future__ import annotations

import pytest

from accounts.models import AccountEvent, User
from cso_portal import clock
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _act(client, action, *users):
    return client.post(
        "/console/accounts/user/",
        {"action": action, "_selected_action": [u.pk for u in users]},
        follow=True,
    )


def test_staff_reactivate_case_search_with_an_audit_event(client, staff):
    inactive = UserFactory(username="inactive01", inactive=True)
    client.force_login(staff)
    response = _act(client, "activate_case_search", inactive)
    assert response.status_code == 200
    inactive.refresh_from_db()
    assert inactive.case_search_status == User.CaseSearchStatus.ACTIVE
    event = inactive.events.get(kind=AccountEvent.Kind.CASE_SEARCH_ACTIVATED)
    assert event.actor == staff
    # Doing it again changes nothing and says so.
    again = _act(client, "activate_case_search", inactive)
    assert "Left inactive01" in again.content.decode()
    assert inactive.events.filter(kind=AccountEvent.Kind.CASE_SEARCH_ACTIVATED).count() == 1


def test_staff_unlock_a_locked_account(client, staff):
    locked = UserFactory(username="locked001")
    User.objects.filter(pk=locked.pk).update(locked_at=clock.now())
    client.force_login(staff)
    _act(client, "unlock_accounts", locked)
    locked.refresh_from_db()
    assert locked.locked_at is None
    assert locked.events.filter(kind=AccountEvent.Kind.UNLOCKED, actor=staff).exists()


def test_people_without_console_rights_cannot_run_actions(client, attorney):
    inactive = UserFactory(username="inactive02", inactive=True)
    client.force_login(attorney)
    response = client.post(
        "/console/accounts/user/",
        {"action": "activate_case_search", "_selected_action": [inactive.pk]},
    )
    assert response.status_code == 302
    inactive.refresh_from_db()
    assert inactive.case_search_status == User.CaseSearchStatus.INACTIVE


def test_secret_links_never_reach_the_log():
    from cso_portal.logging import redact_secret_paths

    line = (
        "GET /account/not-me/eyJ1IjoxfQ:1tX:abc/ 400 "
        "/courts/subscriptions/unsubscribe/12.ab12:sig/ /accounts/password/reset/key/3-xyz/"
    )
    redacted = redact_secret_paths(line)
    assert "eyJ1" not in redacted
    assert "ab12" not in redacted
    assert "3-xyz" not in redacted
    assert redacted.count("[redacted]") == 3


def test_psc_members_cannot_grant_console_powers_or_edit_audited_fields(client):
    from courts.services import make_psc_staff

    member = UserFactory(username="pscmember9", with_totp=True)
    make_psc_staff(user=member)
    client.force_login(member)
    page = client.get(f"/console/accounts/user/{member.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions", "email"):
        assert f'name="{field}"' not in html
    assert 'name="case_search_status"' not in html


def test_superusers_may_grant_console_powers(client, staff):
    target = UserFactory(username="promote01")
    client.force_login(staff)
    html = client.get(f"/console/accounts/user/{target.pk}/change/").content.decode()
    assert 'name="is_staff"' in html
    assert 'name="email"' not in html  # changed through the holder's verified flow only
