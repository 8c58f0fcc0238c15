"""A court's clerks set its e-filing prerequisites (seed 004: LF-95), and new e-file
registration requests follow them; other courts' clerks and filers cannot."""

from __future__ import annotations

import pytest

from courts.models import Court
from filing import services
from filing.services import registration
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_clerk_sets_a_local_form_and_new_requests_ask_for_it(client, other_court, other_clerk):
    client.force_login(other_clerk)
    page = client.get("/courts/azb/")
    assert "/courts/azb/filing-settings/" in page.content.decode()

    response = client.post(
        "/courts/azb/filing-settings/",
        {"required_local_form": "LF-12", "filer_may_propose_login": "on"},
    )
    assert response.status_code == 302
    court = Court.objects.get(pk="azb")
    assert (court.required_local_form, court.filer_may_propose_login) == ("LF-12", True)

    attorney = UserFactory(attorney=True)
    with pytest.raises(services.RegistrationRefused, match="LF-12"):
        registration.submit_efile_registration(
            pacer_account=attorney,
            court=court,
            registration_type="efile_attorney",
            details={"bar_number": "1", "terms_accepted": True},
            now=PINNED_NOW,
        )

    # Clearing it: new requests no longer ask.
    client.post("/courts/azb/filing-settings/", {"required_local_form": ""})
    court.refresh_from_db()
    assert court.required_local_form == ""
    request = registration.submit_efile_registration(
        pacer_account=attorney,
        court=court,
        registration_type="efile_attorney",
        details={"bar_number": "1", "terms_accepted": True},
        now=PINNED_NOW,
    )
    assert request.local_form == ""


def test_bad_input_is_explained_and_unchanged_settings_say_so(client, other_court, other_clerk):
    client.force_login(other_clerk)
    bad = client.post("/courts/azb/filing-settings/", {"required_local_form": "<script>"})
    assert bad.status_code == 200
    assert "Use letters, digits" in bad.content.decode()
    same = client.post("/courts/azb/filing-settings/", {"required_local_form": ""}, follow=True)
    assert "Nothing changed" in same.content.decode()


def test_another_courts_clerk_and_a_filer_get_404(client, flsb, flsb_clerk, other_court):
    client.force_login(flsb_clerk)
    assert client.get("/courts/azb/filing-settings/").status_code == 404
    assert (
        client.post("/courts/azb/filing-settings/", {"required_local_form": "X"}).status_code == 404
    )
    client.force_login(UserFactory(attorney=True))
    assert client.get("/courts/flsb/filing-settings/").status_code == 404
    assert Court.objects.get(pk="azb").required_local_form == ""
