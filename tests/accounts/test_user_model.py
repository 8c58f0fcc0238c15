"""The individual PACER account is the user model from migration 0001 on."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError

from accounts import services
from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from accounts.models import User
from cso_portal import clock
from tests.factories import UserFactory


def test_auth_user_model_is_created_by_the_first_accounts_migration():
    assert settings.AUTH_USER_MODEL == "accounts.User"
    initial = importlib.import_module("accounts.migrations.0001_initial").Migration
    created = [op.name for op in initial.operations if op.__class__.__name__ == "CreateModel"]
    assert "User" in created
    assert initial.initial is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2014, 8, 10), User.AccountType.LEGACY),
        (dt.date(2014, 8, 11), User.AccountType.UPGRADED),
    ],
)
def test_accounts_registered_before_11_august_2014_start_legacy(day, expected):
    with time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 18, tzinfo=dt.UTC), tick=False
    ):
        user = services.create_account(
            username="newfiler1", email="n@example.test", password=None, today=clock.today()
        )
    assert user.registered_on == day
    assert user.account_type == expected


@pytest.mark.django_db
def test_account_numbers_are_unique_seven_digit_numbers():
    users = [
        services.create_account(
            username=f"filer{n:04d}", email=f"f{n}@example.test", password=None, today=clock.today()
        )
        for n in range(50)
    ]
    numbers = {u.account_number for u in users}
    assert len(numbers) == 50
    assert all(re.fullmatch(r"[1-9]\d{6}", n) for n in numbers)


@pytest.mark.django_db
def test_the_database_refuses_a_malformed_account_number():
    with pytest.raises(IntegrityError):
        UserFactory(account_number="12AB567")


@pytest.mark.django_db
def test_signing_up_through_allauth_gives_an_account_number_and_asks_to_verify(client):
    response = client.post(
        "/accounts/signup/",
        {
            "kind": "attorney_filer",
            "first_name": "Nia",
            "last_name": "Newman",
            "phone": "(602) 555-0171",
            "address_line1": "401 West Washington Street",
            "city": "Phoenix",
            "region": "Arizona",
            "postal_code": "85003",
            "country": "United States",
            "bar_number": "034567",
            "bar_state": "Arizona",
            "username": "newattorney",
            "email": "new.attorney@example.test",
            "password1": "a long training passphrase",
            "password2": "a long training passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="newattorney")
    assert re.fullmatch(r"\d{7}", user.account_number)
    assert user.account_type == User.AccountType.UPGRADED
    assert len(mail.outbox) == 1
    assert "new.attorney@example.test" in mail.outbox[0].to
    # Not verified yet: signing in leads back to verification, not into the portal.
    client.logout()
    login = client.post(
        "/accounts/login/", {"login": "newattorney", "password": "a long training passphrase"}
    )
    assert login["Location"] == "/accounts/confirm-email/"


@pytest.mark.django_db
def test_a_fourteen_character_password_is_refused_with_its_reason(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "shortpass",
            "email": "short@example.test",
            "password1": "fourteen chars",
            "password2": "fourteen chars",
        },
    )
    assert response.status_code == 200
    assert "at least 15 characters" in response.content.decode()
    assert not User.objects.filter(username="shortpass").exists()


@pytest.mark.django_db
def test_demo_accounts_load_once_and_sign_in(client, capsys):
    call_command("load_demo_accounts")
    call_command("load_demo_accounts")
    out = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert out.count("created") == len(DEMO_ACCOUNTS)
    assert DEMO_PASSWORD in out
    assert User.objects.get(username="lgcy12").account_type == User.AccountType.LEGACY
    assert User.objects.get(username="firmshared").is_shared
    response = client.post("/accounts/login/", {"login": "attorney1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    # A filer without two-factor authentication is asked to set it up first.
    assert response["Location"] == "/account/two-factor/"
