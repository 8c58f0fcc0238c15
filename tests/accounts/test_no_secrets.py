"""No password, MFA secret, recovery code, emailed key or session id in the logs or in the
database in clear (acceptance 5; PROOF scenarios 27-28).

One test walks the account's whole life through the real pages with every logger at DEBUG,
then scans the captured log and every text/JSON column of every table (session payloads
decoded too) for each secret it met on the way.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from contextlib import contextmanager

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import models

from accounts.mfa_adapter import MFAAdapter
from accounts.models import User
from cso_portal.logging import SafeLogFilter, escape_controls, redact_secret_paths
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIRST_PASSWORD = "Quokka-Lantern 7 velvet orbit"
WRONG_PASSWORD = "Quokka-Lantern 7 velvet orbiT?"
SECOND_PASSWORD = "Marmalade 88 thunder cartography"
THIRD_PASSWORD = "Zeppelin wafers & 19 quiet fjords"


@pytest.fixture
def debug_logs(caplog):
    """Every logger at DEBUG into caplog, except the few LOGGING pins to a higher level
    because their DEBUG output holds secrets by design (SQL parameters; the template context
    dumped with each failed variable lookup): those stay as configured, as in production."""
    from django.conf import settings

    pinned = set(settings.LOGGING.get("loggers", {}))
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        if not any(name == p or name.startswith(p + ".") for p in pinned):
            caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def link_in_last_mail(pattern: str) -> str:
    match = re.search(rf"http://testserver({pattern})", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def text_columns_of_every_table() -> list[tuple[str, str]]:
    """(table.column, value as text) for every char/text/JSON value in the database."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*(f.attname for f in fields)):
            for field, value in zip(fields, row, strict=True):
                if value is not None:
                    text = value if isinstance(value, str) else json.dumps(value)
                    found.append((f"{model._meta.db_table}.{field.column}", text))
    for session in Session.objects.all():
        decoded = json.dumps(SessionStore().decode(session.session_data))
        found.append((f"django_session[{session.pk[:4]}…] decoded", decoded))
    return found


def test_an_accounts_whole_life_leaves_no_secret_in_logs_or_database(
    client, frozen_clock, debug_logs
):
    secrets: dict[str, str] = {
        "first password": FIRST_PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "second password": SECOND_PASSWORD,
        "third password": THIRD_PASSWORD,
    }

    # Sign up, verify the email address (signed in by the confirmation).
    response = client.post(
        "/accounts/signup/",
        {
            "kind": User.AccountKind.CASE_SEARCH,
            "first_name": "Secret",
            "last_name": "Keeper",
            "email": "secret.keeper@example.test",
            "phone": "(602) 555-0150",
            "address_line1": "401 West Washington Street",
            "city": "Phoenix",
            "region": "Arizona",
            "postal_code": "85003",
            "country": "United States",
            "username": "secretkeeper",
            "password1": FIRST_PASSWORD,
            "password2": FIRST_PASSWORD,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    confirm_path = link_in_last_mail(r"/accounts/confirm-email/[^/\s]+/")
    secrets["email confirmation key"] = confirm_path.rstrip("/").rsplit("/", 1)[1]
    assert client.post(confirm_path).status_code == 302
    user = User.objects.get(username="secretkeeper")

    # A failed and a successful sign-in.
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "secretkeeper", "password": WRONG_PASSWORD})
    client.post("/accounts/login/", {"login": "secretkeeper", "password": FIRST_PASSWORD})
    secrets["session id"] = client.cookies["sessionid"].value

    # Change the password.
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": FIRST_PASSWORD, "password1": SECOND_PASSWORD, "password2": SECOND_PASSWORD},
    )
    assert response.status_code == 302

    # Activate an authenticator app; read the recovery codes.
    response = client.get("/accounts/2fa/totp/activate/")
    client.post(response["Location"], {"password": SECOND_PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    totp_secret = page.context["form"].secret
    secrets["TOTP secret"] = totp_secret
    secrets["TOTP secret (lower case)"] = totp_secret.lower()
    response = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(totp_secret).now()})
    assert response.status_code == 302
    codes = client.get("/accounts/2fa/recovery-codes/").context["unused_codes"]
    assert len(codes) == 10
    secrets.update({f"recovery code {n}": code for n, code in enumerate(codes)})
    seed = Authenticator.objects.get(user=user, type="recovery_codes").data["seed"]
    secrets["recovery code seed"] = MFAAdapter().decrypt(seed)

    # Sign in with a recovery code.
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": "secretkeeper", "password": SECOND_PASSWORD})
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302

    # Reset the password by email, then sign in with it and a code.
    client.post("/accounts/logout/")
    client.post("/accounts/password/reset/", {"email": "secret.keeper@example.test"})
    reset_path = link_in_last_mail(r"/accounts/password/reset/key/[^/\s]+/")
    secrets["password reset key"] = reset_path.rstrip("/").rsplit("/", 1)[1]
    secrets["password reset token"] = secrets["password reset key"].split("-", 1)[1]
    form_page = client.get(reset_path, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": THIRD_PASSWORD, "password2": THIRD_PASSWORD},
    )
    assert response.status_code == 302
    frozen_clock.shift(dt.timedelta(seconds=31))  # a fresh TOTP window
    client.post("/accounts/login/", {"login": "secretkeeper", "password": THIRD_PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(totp_secret).now()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    # (a) The logs: what a handler would write, and the raw arguments of every record.
    assert debug_logs.records, "nothing was logged: the scan would prove nothing"
    log_text = debug_logs.text + "\n".join(
        f"{record.msg!r} {record.args!r}" for record in debug_logs.records
    )
    leaked_to_log = {
        name: [line for line in log_text.splitlines() if value in line][:2]
        for name, value in secrets.items()
        if value in log_text
    }
    assert leaked_to_log == {}

    # (b) The database, every table (the session id lives in django_session by design).
    columns = text_columns_of_every_table()
    assert any(table.startswith("mfa_authenticator") for table, _ in columns)
    leaked_to_db = sorted(
        {
            (name, table)
            for name, value in secrets.items()
            if name != "session id"
            for table, text in columns
            if value in text
        }
    )
    assert leaked_to_db == []


# Log hygiene --------------------------------------------------------------------------------


@contextmanager
def console_log():
    """What the configured console handler (LOGGING in settings) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def test_a_username_with_cr_lf_is_logged_on_one_escaped_line(client, frozen_clock):
    """Scenario 27: the typed login can't forge a second log line."""
    UserFactory(username="realuser1")
    forged = "realuser1\r\n2026-11-16 15:00:00,000 INFO accounts admin signed in"
    with console_log() as output:
        client.post("/accounts/login/", {"login": forged, "password": "wrong but long enough"})
    lines = output.getvalue().splitlines()
    refusals = [line for line in lines if "sign-in refused" in line]
    assert len(refusals) == 1
    assert "realuser1\\r\\n2026-11-16 15:00:00,000 INFO accounts admin" in refusals[0]
    assert not any(line.startswith("2026-11-16 15:00:00,000 INFO accounts admin") for line in lines)
    assert "wrong but long enough" not in output.getvalue()


def test_sign_in_outcomes_are_logged_with_where_and_why_never_the_password(
    client, frozen_clock, caplog
):
    """Scenario 28: refusals and successes, with the address, never the password."""
    UserFactory(username="realuser2")
    caplog.set_level(logging.INFO, logger="accounts.forms.login")
    client.post("/accounts/login/", {"login": "realuser2", "password": "nope nope nope nope"})
    client.post(
        "/accounts/login/",
        {"login": "realuser2", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.9.8.7",
    )
    messages = [r.getMessage() for r in caplog.records if r.name == "accounts.forms.login"]
    assert messages[0] == (
        "sign-in refused login=realuser2 ip=127.0.0.1 reason=username_password_mismatch"
    )
    assert messages[1].startswith("sign-in password accepted user_id=")
    assert messages[1].endswith("ip=10.9.8.7")
    assert "nope nope" not in caplog.text
    assert TEST_PASSWORD not in caplog.text


def test_the_filter_escapes_controls_and_redacts_emailed_keys():
    assert escape_controls("a\rb\nc\td\x00e\x1bf\u2028g") == "a\\rb\\nc\\td\\x00e\\x1bf\\x2028g"
    assert redact_secret_paths(
        "Not Found: /accounts/password/reset/key/3-ck1zq8-4f1c2e9a/ and "
        "/accounts/confirm-email/MQ:1sAbCd:xyz/"
    ) == (
        "Not Found: /accounts/password/reset/key/[redacted]/ and "
        "/accounts/confirm-email/[redacted]/"
    )
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "login=%s", ("a\nb",), None)
    assert SafeLogFilter().filter(record)
    assert record.getMessage() == "login=a\\nb"


def test_every_configured_handler_has_the_filter():
    from django.conf import settings

    for name, handler in settings.LOGGING["handlers"].items():
        assert "safe" in handler.get("filters", []), name
