"""allauth's pages render on the project's layout, in USWDS markup, and stay accessible.

Each page is checked the way a visitor meets it: the simulation banner, our header, USWDS form
controls, one h1 and headings in order, a visible label for every control, and error messages
tied to their inputs with aria-describedby.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

BANNER = "Training simulation"
CONTROL_SKIP_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageStructure(HTMLParser):
    """The parts of a page the accessibility checks need."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[dict[str, str | None]] = []
        self.label_targets: set[str] = set()
        self.ids: set[str] = set()
        self.classes: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        self.classes.update((attributes.get("class") or "").split())
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        elif tag in {"input", "select", "textarea"}:
            if (attributes.get("type") or "text") not in CONTROL_SKIP_TYPES:
                self.controls.append(attributes)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(response) -> PageStructure:
    page = PageStructure()
    page.feed(response.content.decode())
    return page


def assert_on_our_layout(response) -> PageStructure:
    """The page is ours (banner, header, USWDS) and passes the accessibility basics."""
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNER in html
    assert "usa-header" in html
    assert "uswds/css/uswds.min.css" in html
    # allauth's bare fallback layout ("Menu:" list) must never show through.
    assert "Menu:" not in html
    page = parse(response)
    assert page.headings.count(1) == 1, page.headings
    assert page.headings[0] == 1, "the h1 comes before any other heading"
    for previous, current in zip(page.headings, page.headings[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: {page.headings}"
    for control in page.controls:
        assert control.get("id") in page.label_targets, f"control without a label: {control}"
        for described_by in (control.get("aria-describedby") or "").split():
            assert described_by in page.ids, f"aria-describedby points nowhere: {control}"
    return page


@pytest.fixture
def user():
    return UserFactory(username="pagesuser1")


@pytest.fixture
def mfa_user():
    user = UserFactory(username="pagesmfa01")
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


def reauthenticate(client, user) -> None:
    """Sign in and confirm the password again, as the MFA settings pages require."""
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("path", "heading", "title"),
    [
        ("/accounts/login/", "Sign In", "Sign In"),
        (
            "/accounts/signup/?kind=case_search",
            "Register for a PACER account",
            "Register: your details",
        ),
        ("/accounts/password/reset/", "Password Reset", "Password Reset"),
        ("/accounts/password/reset/done/", "Password Reset", "Password Reset"),
        ("/accounts/confirm-email/", "Verify Your Email Address", "Verify Your Email Address"),
        (
            "/accounts/confirm-email/not-a-real-key/",
            "Confirm Email Address",
            "Confirm Email Address",
        ),
        ("/accounts/password/reset/key/1-not-a-real-key/", "Bad Token", "Change Password"),
        ("/accounts/inactive/", "Account Inactive", "Account Inactive"),
    ],
)
def test_signed_out_pages_render_on_our_layout(client, path, heading, title):
    response = client.get(path)

    page = assert_on_our_layout(response)
    assert heading in response.content.decode()
    # allauth's head_title becomes our <title>, before the site's suffix.
    assert " ".join(page.title.split()) == f"{title} · training simulation"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/?kind=case_search"])
def test_entrance_forms_use_uswds_controls_with_visible_labels(client, path):
    response = client.get(path)

    page = assert_on_our_layout(response)
    assert {"usa-form", "usa-form-group", "usa-label", "usa-input", "usa-button"} <= page.classes
    html = response.content.decode()
    assert "placeholder=" not in html, "labels, not placeholders, name the fields"
    assert "usa-hint--required" in html


def test_login_labels_the_login_field_by_what_it_accepts(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<label class="usa-label" for="id_login">Username or email' in html
    assert 'class="usa-checkbox__input" type="checkbox" id="id_remember"' in html
    assert '<label class="usa-checkbox__label" for="id_remember">' in html


def test_wrong_password_shows_an_error_alert_and_keeps_the_username(client, user):
    response = client.post("/accounts/login/", {"login": user.username, "password": "not-it"})

    page = assert_on_our_layout(response)
    html = response.content.decode()
    assert "usa-alert--error" in html
    assert 'role="alert"' in html
    assert "The username and/or password you specified are not correct." in html
    assert f'value="{user.username}"' in html
    assert "usa-input" in page.classes


def test_missing_fields_are_marked_and_described_by_their_errors(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})

    page = assert_on_our_layout(response)
    assert {"usa-form-group--error", "usa-label--error", "usa-input--error"} <= page.classes
    assert "usa-error-message" in page.classes
    login = next(c for c in page.controls if c.get("id") == "id_login")
    password = next(c for c in page.controls if c.get("id") == "id_password")
    assert login["aria-describedby"] == "id_login_error"
    assert login["aria-invalid"] == "true"
    assert password["aria-describedby"] == "id_password_helptext id_password_error"


def test_signup_errors_show_against_their_fields(client, user):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "someone.new@example.test",
            "username": user.username,
            "password1": "password",
            "password2": "password",
        },
    )

    page = assert_on_our_layout(response)
    html = response.content.decode()
    assert 'id="id_username_error"' in html
    assert 'id="id_password1_error"' in html
    username = next(c for c in page.controls if c.get("id") == "id_username")
    assert "id_username_error" in username["aria-describedby"].split()


def test_signed_in_email_page_lists_addresses_with_settings_navigation(client, user):
    client.force_login(user)

    response = client.get("/accounts/email/")

    page = assert_on_our_layout(response)
    html = response.content.decode()
    assert user.email in html
    assert "usa-radio__input" in page.classes
    assert "usa-tag" in page.classes
    assert 'aria-label="Account settings"' in html
    assert 'aria-current="page">Email addresses</a>' in html
    assert "usa-button--secondary" in page.classes, "Remove is the red (danger) button"
    # allauth's page script (confirm before removing an address) still reaches the page.
    assert "account/js/account.js" in html


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/accounts/password/change/", "Password"),
        ("/accounts/2fa/", "Two-factor authentication"),
    ],
)
def test_signed_in_settings_pages_render(client, user, path, current):
    client.force_login(user)

    response = client.get(path)

    assert_on_our_layout(response)
    assert f'aria-current="page">{current}</a>' in response.content.decode()


def test_mfa_index_shows_panels_as_cards(client, user):
    client.force_login(user)

    response = client.get("/accounts/2fa/")

    page = assert_on_our_layout(response)
    assert {"usa-card", "usa-card__heading"} <= page.classes
    assert "Authenticator App" in response.content.decode()


def test_password_set_page_for_a_user_without_a_password(client):
    user = UserFactory(username="pagesnopass")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client.force_login(user)

    response = client.get("/accounts/password/set/")

    assert_on_our_layout(response)
    assert 'aria-current="page">Password</a>' in response.content.decode()


def test_sign_out_confirmation_has_no_settings_navigation(client, user):
    client.force_login(user)

    response = client.get("/accounts/logout/")

    assert_on_our_layout(response)
    html = response.content.decode()
    assert "Are you sure you want to sign out?" in html
    assert 'aria-label="Account settings"' not in html


def test_reauthenticate_page_renders(client, user):
    client.force_login(user)

    response = client.get("/accounts/reauthenticate/")

    page = assert_on_our_layout(response)
    assert "usa-input" in page.classes


def test_activating_an_authenticator_shows_qr_code_secret_and_code_field(client, user):
    reauthenticate(client, user)

    response = client.get("/accounts/2fa/totp/activate/")

    page = assert_on_our_layout(response)
    html = response.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "cso-qr" in page.classes
    secret = next(c for c in page.controls if c.get("id") == "authenticator_secret")
    assert "disabled" in secret
    assert secret["aria-describedby"] == "authenticator_secret_helptext"
    assert any(c.get("id") == "id_code" for c in page.controls)


def test_wrong_authenticator_code_is_reported_on_the_field(client, user):
    reauthenticate(client, user)
    client.get("/accounts/2fa/totp/activate/")

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})

    page = assert_on_our_layout(response)
    code = next(c for c in page.controls if c.get("id") == "id_code")
    assert "id_code_error" in code["aria-describedby"].split()


def test_signing_in_with_mfa_asks_for_a_code_on_our_layout(client, mfa_user):
    response = client.post(
        "/accounts/login/", {"login": mfa_user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"

    response = client.get("/accounts/2fa/authenticate/")

    page = assert_on_our_layout(response)
    html = response.content.decode()
    assert "Two-Factor Authentication" in html
    assert any(c.get("id") == "id_code" for c in page.controls)
    assert "usa-button--unstyled" in page.classes, "Cancel is a link-style button"


def test_mfa_settings_pages_for_a_user_with_an_authenticator(client, mfa_user):
    reauthenticate(client, mfa_user)

    index = client.get("/accounts/2fa/")
    codes = client.get("/accounts/2fa/recovery-codes/")
    deactivate = client.get("/accounts/2fa/totp/deactivate/")
    generate = client.get("/accounts/2fa/recovery-codes/generate/")
    mfa_reauthenticate = client.get("/accounts/2fa/reauthenticate/")

    assert "usa-button--secondary" in assert_on_our_layout(index).classes
    codes_page = assert_on_our_layout(codes)
    assert "usa-textarea" in codes_page.classes
    assert any(c.get("id") == "recovery_codes" for c in codes_page.controls)
    assert "usa-button--secondary" in assert_on_our_layout(deactivate).classes
    assert_on_our_layout(generate)
    assert_on_our_layout(mfa_reauthenticate)
