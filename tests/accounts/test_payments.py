"""Simulated payments: by card or bank account toward a quarter's balance, keeping only the
last four digits and a token — the full number is nowhere in the database row, the session
or the page; a bad number gets a clear message and nothing is saved."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.sessions.models import Session

from accounts import fees
from accounts.models import Payment
from accounts.services import billing
from tests.accounts.paa_billing import CHICAGO, make_billed_firm
from tests.factories import PaaFactory, PaaMembershipFactory

pytestmark = pytest.mark.django_db

PAA_PAYMENTS = "/account/paa/payments/"
MY_PAYMENTS = "/account/payments/"
CARD = "4242 4242 4242 4242"
CARD_DIGITS = "4242424242424242"
ROUTING = "011000015"
BANK_ACCOUNT = "000123456789"


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def firm():
    return make_billed_firm()[0]


def _card(amount="20.00", quarter="2026-4", number=CARD) -> dict:
    return {"quarter": quarter, "amount": amount, "method": "card", "card_number": number}


def _bank(amount="10.00", routing=ROUTING, account=BANK_ACCOUNT) -> dict:
    return {
        "quarter": "2026-4",
        "amount": amount,
        "method": "bank",
        "routing_number": routing,
        "bank_account_number": account,
    }


def _everything_stored(client) -> str:
    """The payments' rows, the session rows and the client's cookies, as one string."""
    rows = [
        " ".join(str(value) for value in row)
        for row in Payment.objects.values_list(
            "amount", "method", "last4", "token", "note", "year", "quarter"
        )
    ]
    sessions = [s.get_decoded() for s in Session.objects.all()]
    assert sessions  # the signed-in session is in the database, and checked
    return " ".join([*rows, repr(sessions), str(client.cookies)])


def test_a_paa_pays_by_card_and_only_the_last_four_digits_and_a_token_are_kept(
    client, firm, frozen_clock
):
    client.force_login(firm)

    response = client.post(PAA_PAYMENTS, _card(), follow=True)

    assert response.redirect_chain == [(PAA_PAYMENTS, 302)]
    page = text(response)
    assert "Thank you: your payment of $20.00 toward Q4 2026 is recorded (Card ending 4242)." in (
        page
    )
    payment = Payment.objects.get()
    assert (payment.account, payment.kind, payment.amount) == (firm, "payment", Decimal("20.00"))
    assert (payment.method, payment.last4) == ("card", "4242")
    assert (payment.year, payment.quarter) == (2026, 4)
    assert re.fullmatch(r"card_[0-9a-f]{24}", payment.token)
    assert payment.actor == firm
    stored = _everything_stored(client)
    assert CARD_DIGITS not in stored
    assert CARD not in stored
    assert CARD_DIGITS not in response.content.decode()
    # The statement now shows the payment and the lower balance.
    statement = text(client.get("/account/paa/statement/"))
    assert "Payments $20.00 Credits $0.00 Balance $49.00" in statement


def test_a_paa_pays_by_bank_account(client, firm, frozen_clock):
    client.force_login(firm)

    client.post(PAA_PAYMENTS, _bank())

    payment = Payment.objects.get()
    assert (payment.method, payment.last4) == ("bank", "6789")
    assert re.fullmatch(r"ach_[0-9a-f]{24}", payment.token)
    stored = _everything_stored(client)
    assert BANK_ACCOUNT not in stored
    assert ROUTING not in stored
    assert "Bank account (ACH) ending 6789 $10.00" in text(client.get(PAA_PAYMENTS))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_card(number="4242 4242 4242 4241"), "The card number is not valid. Check it and try"),
        (_card(number="1234"), "The card number is not valid. Check it and try again."),
        (_card(number="4000000000000002"), "The card was declined. Use another card."),
        (_card(number=""), "Enter the card number."),
        (_bank(routing="011000016"), "The routing number is not valid: it is the 9 digits"),
        (_bank(routing="12345"), "The routing number is not valid"),
        (_bank(account="12"), "The bank account number is not valid: 4 to 17 digits."),
        (_bank(account="12ab5678"), "The bank account number is not valid"),
        (_card(amount="0"), "Ensure this value is greater than or equal to 0.01."),
        (_card(amount="ten dollars"), "Enter the amount in dollars, e.g. 45.10."),
        (_card(amount="69.01"), "Q4 2026 has a balance of $69.00: pay at most that."),
        (_card(quarter="2026-2", amount="5.00"), "Nothing is owed for Q2 2026."),
        (_card(quarter="2019-1"), "Select a valid choice."),
        ({**_card(), "method": "cash"}, "Select a valid choice."),
    ],
    ids=[
        "luhn", "short-card", "declined", "no-card", "routing-checksum", "short-routing",
        "short-account", "letters-in-account", "zero", "not-a-number", "more-than-owed",
        "nothing-owed", "quarter-not-offered", "unknown-method",
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    client, firm, frozen_clock, data, message
):
    client.force_login(firm)

    response = client.post(PAA_PAYMENTS, data)

    assert response.status_code == 200
    assert message in text(response)
    assert not Payment.objects.exists()
    html = response.content.decode()
    for secret in ("card_number", "routing_number", "bank_account_number"):
        value = (data.get(secret) or "").strip()
        if len(value) >= 4:  # the number is asked again, never rendered back
            assert f'value="{value}"' not in html
    assert CARD_DIGITS not in _everything_stored(client)


def test_the_payments_page_says_the_paa_pays_pacer_fees_only(client, firm, frozen_clock):
    client.force_login(firm)

    page = text(client.get(PAA_PAYMENTS))

    assert "pays PACER access fees only" in page
    assert "Filing fees stay on each member's individual account" in page
    assert "Q4 2026 $75.00 $69.00 $0.00 $0.00 $69.00" in page  # the history with balances
    assert "No payments yet." in page


# The Payments tab of an individual account ------------------------------------------------


def _own_views(account, n):
    for i in range(n):
        billing.record_charge(
            account=account, court_id="flsb", item=fees.Item.DOCUMENT, pages=40,
            now=dt.datetime(2026, 11, 2, 9, 0, tzinfo=CHICAGO) + dt.timedelta(hours=i),
        )  # fmt: skip


def test_an_account_pays_its_own_bill_on_the_payments_tab(
    client, attorney, other_attorney, frozen_clock
):
    _own_views(attorney, 11)  # $33.00: over the waiver, owed
    client.force_login(attorney)

    form = client.get(MY_PAYMENTS)
    assert "Filing fees are paid by card when you file." in text(form)
    assert 'value="33.00"' in form.content.decode()  # the balance, as the default amount
    response = client.post(MY_PAYMENTS, _card(amount="33.00"), follow=True)

    assert response.redirect_chain == [(MY_PAYMENTS, 302)]
    page = text(response)
    assert "Thank you: your payment of $33.00 toward Q4 2026" in page
    assert "Q4 2026 $33.00 $33.00 $33.00 $0.00 $0.00" in page
    assert Payment.objects.get().account == attorney
    # Nobody else sees it.
    client.force_login(other_attorney)
    assert "No payments yet." in text(client.get(MY_PAYMENTS))


def test_a_member_is_told_the_paa_pays_their_pacer_fees(client, attorney, frozen_clock):
    PaaMembershipFactory(paa=PaaFactory(firm="Rivera & Okafor LLP"), member=attorney)
    client.force_login(attorney)

    page = text(client.get(MY_PAYMENTS))

    assert "While you are a member of Rivera & Okafor LLP's PACER Administrative Account" in page


def test_a_paa_on_the_payments_tab_goes_to_its_own_payments_page(client, firm):
    client.force_login(firm)
    response = client.get(MY_PAYMENTS)
    assert response.status_code == 302
    assert response["Location"] == PAA_PAYMENTS


@pytest.mark.parametrize(
    ("number", "ok"),
    [("4242424242424242", True), ("4242-4242-4242-4242", True), ("4242424242424241", False),
     ("79927398713", True), ("378282246310005", True)],
)  # fmt: skip
def test_card_numbers_are_checked_with_luhn(number, ok):
    assert billing.luhn_ok(re.sub(r"\D", "", number)) is ok


@pytest.mark.parametrize(
    ("routing", "ok"),
    [("011000015", True), ("021000021", True), ("111000025", True), ("011000016", False),
     ("01100001", False), ("01100001a", False)],
)  # fmt: skip
def test_routing_numbers_are_checked_with_the_aba_checksum(routing, ok):
    assert billing.routing_number_ok(routing) is ok
