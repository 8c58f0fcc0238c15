"""Property-based fuzzing of every form a user posts (scenario 3 and friends).

Each test builds its personas once, then lets Hypothesis post field dicts that mix
valid-looking values with empty, huge (up to 100,000 characters), unicode (emoji, RTL,
combining marks), control characters (NUL, CR/LF), invalid UTF-8, wrong types, repeated keys
and unknown fields. Whatever is posted:

- the answer is never a 500 and no exception escapes the view;
- a refused post says why: the form again with its error messages visible (200), a message
  after a redirect, or a 4xx page that explains;
- a refused post saves nothing (the rows the form would write are counted before and after).

Every example runs inside a savepoint that is rolled back afterwards (and the cache, which
holds the rate-limit counters, is cleared), so examples never see each other's rows.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from html import escape
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import HttpResponse
from hypothesis import (
    HealthCheck,
    currently_in_test_context,
    event,
    example,
    given,
    settings,
)
from hypothesis import strategies as st

from accounts import tokens
from accounts.models import PaaMembership, User
from accounts.services.registration import SIGNUP_KINDS
from accounts.views.upgrade import STATE_KEY
from courts.models import Subscription
from filing.models import Case, EfileRegistration, FilingAgent
from filing.services import efiling
from linking import services as linking_services
from linking.models import CmecfAccount, CmecfResetToken, LinkRequest
from tests.conftest import PINNED_NOW, PortalClient
from tests.courts.factories import CourtFactory
from tests.factories import TEST_PASSWORD, PaaFactory, UserFactory
from tests.filing.ecf_support import GOOD_CARD, filer_in, filing_rows
from tests.filing.factories import (
    AttorneyOfRecordFactory,
    CaseFactory,
    FilingRightFactory,
    pdf_bytes,
)
from tests.linking.factories import CMECF_TEST_PASSWORD, CmecfAccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("frozen_clock")]

# CSO_FUZZ_EXAMPLES=500 for a longer hunt; the default keeps the file under about a minute.
FUZZ = settings(
    max_examples=int(os.environ.get("CSO_FUZZ_EXAMPLES", "60")),
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
URLENCODED = "application/x-www-form-urlencoded"
# A strong passphrase every password rule accepts.
GOOD_PASSWORD = "quartz lantern meadow violin 7"
# The code the upgrade wizard's seeded session expects at the email step.
UPGRADE_CODE = "123456"

# Values ---------------------------------------------------------------------------------------

# Hand-picked nasties: NUL and other controls, header injection, RTL override, combining
# marks, emoji sequences, a byte-order mark, markup and SQL-looking text, whitespace only.
NASTY = st.sampled_from(
    [
        "",
        " ",
        "\t\n ",
        "\x00",
        "a\x00b",
        "\x00" * 64,
        "\r\n",
        "name\r\nSet-Cookie: x=1",
        "\x1b[31mred\x1b[0m",
        "\u202eevil\u202c",
        "مرحبا بالعالم",
        "שלום",
        "e\u0301\u0301\u0301\u0301",
        "Z\u0351\u0352\u0353\u0354\u0355\u0356",
        "😀",
        "👩\u200d⚖️👨\u200d👩\u200d👧",
        "\ufeffbom",
        "\u200b\u200c\u200d",
        "<script>alert(1)</script>",
        "'; DROP TABLE accounts_user; --",
        "%00%0d%0a",
        "{{ request }}",
        "../../etc/passwd",
        "ＡＢＣ１２３",
        "-1",
        "0",
        "99999999999999999999999999",
        "NaN",
        "1e400",
        "true",
        "on",
        "2026-02-30",
    ]
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=60)
# Long values: just under and over the usual length limits (a form that allows more than its
# database column is a 500), and up to 100,000 characters.
LONG_SIZES = (16, 17, 23, 24, 32, 33, 64, 65, 100, 101, 150, 151, 200, 201, 254, 255, 256, 257,
              300, 301, 320, 321, 500, 501, 1000, 1001, 2000, 2001)  # fmt: skip
HUGE = st.builds(
    lambda piece, size: (piece * (size // len(piece) + 1))[:size],
    st.sampled_from(["x", "9", "ab ", "é", "😀", "\x00", "\u202e", "a\r\n"]),
    st.one_of(st.sampled_from(LONG_SIZES), st.integers(min_value=257, max_value=100_000)),
)
# Sent as is: invalid UTF-8 and lone continuation bytes.
RAW_BYTES = st.one_of(
    st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80abc", b"ok\xfe\xff"]),
    st.binary(max_size=40),
)
WRONG_TYPE = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    # A list repeats the key (``a=1&a=2``): the form sees the last value.
    st.lists(st.one_of(TEXT, NASTY), min_size=2, max_size=3),
)
FUZZ_VALUE = st.one_of(NASTY, TEXT, HUGE, RAW_BYTES, WRONG_TYPE)
MISSING = object()
# Fields nobody should be able to set by posting them (scenario 14), and random names.
EXTRA_KEYS = st.one_of(
    st.sampled_from(
        ["is_staff", "is_superuser", "role", "status", "account_type", "pk", "id", "user",
         "registration_status", "linked_account", "may_pay_fees", "step", "action"]
    ),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
)  # fmt: skip


@st.composite
def form_data(draw, valid: dict[str, st.SearchStrategy]) -> dict:
    """A dict of the form's fields plus unknown ones. Either a few fields are missing or
    fuzzed and the rest valid-looking (so the post gets past validation into the services),
    or any field may be. Shrinking goes towards the valid values, so a failure shows the
    one bad field."""
    names = list(valid)
    if draw(st.booleans()):
        spoiled = draw(st.sets(st.sampled_from(names), max_size=2))
    else:
        spoiled = {name for name in names if draw(st.booleans())}
    data = draw(st.dictionaries(EXTRA_KEYS, FUZZ_VALUE, max_size=3))
    for name in names:
        value = (
            draw(st.one_of(FUZZ_VALUE, st.just(MISSING))) if name in spoiled else draw(valid[name])
        )
        data.pop(name, None)
        if value is not MISSING:
            data[name] = value
    return data


def _bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, bool):
        return b"on" if value else b""
    return str(value).encode("utf-8")


def urlencoded(data: dict) -> bytes:
    """The body a browser would send for ``data`` (lists repeat the key; bytes go raw)."""
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append(f"{quote_from_bytes(_bytes(key))}={quote_from_bytes(_bytes(item))}")
    return "&".join(pairs).encode("ascii")


# Posting and judging the answer ------------------------------------------------------------------


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example: a savepoint rolled back afterwards, and fresh rate-limit counters. (A
    savepoint, not ``atomic()``: the services' durable atomic blocks must still run.)"""
    cache.clear()
    savepoint = transaction.savepoint()
    try:
        yield
    finally:
        transaction.savepoint_rollback(savepoint)
        cache.clear()


def fuzz_client() -> PortalClient:
    """A client that turns a view's exception into the 500 page (as in production) and keeps
    the exception on the response, so the test can show it."""
    return PortalClient(raise_request_exception=False)


def checked(response: HttpResponse) -> HttpResponse:
    """No exception escaped the view and the answer is not a server error."""
    if currently_in_test_context():  # the statistics (--hypothesis-show-statistics)
        event(f"status {response.status_code}")
    if response.exc_info is not None:
        detail = "".join(traceback.format_exception(*response.exc_info))
        pytest.fail(f"the view raised (status {response.status_code}):\n{detail}")
    assert response.status_code < 500, response.content[:2000]
    return response


def post(client, path: str, data: dict, **extra) -> HttpResponse:
    return checked(client.post(path, urlencoded(data), content_type=URLENCODED, **extra))


def page(response: HttpResponse) -> str:
    return response.content.decode("utf-8", errors="replace")


def context_value(response: HttpResponse, name: str) -> Any:
    context = response.context
    if context is None:
        return None
    try:
        return context[name]
    except KeyError:
        return None


ERROR_MARKERS = ("usa-error-message", "usa-alert--error")


def assert_refusal_shown(response: HttpResponse, client=None, form_name: str = "form") -> None:
    """A refused post says why: the form with its errors, a 4xx page that explains, or an
    error message after the redirect."""
    if response.status_code in (301, 302, 303):
        assert client is not None, "a refusal redirected without a message to follow"
        followed = checked(client.get(response["Location"], follow=True))
        assert any(marker in page(followed) for marker in ERROR_MARKERS), page(followed)[:2000]
        return
    html = page(response)
    form = context_value(response, form_name)
    assert form is None or form.is_bound, "a post was shown the blank form, with no message"
    errors = [str(m) for messages in form.errors.values() for m in messages] if form else []
    if response.status_code == 200:
        assert errors or context_value(response, "refusal"), html[:2000]
    else:
        assert 400 <= response.status_code < 500
        assert "<h1" in html, html[:2000]
    if errors:
        assert any(marker in html for marker in ERROR_MARKERS), html[:2000]
        hidden = [e for e in errors if escape(e) not in html]
        assert not hidden, f"errors not on the page: {hidden!r}"


def outcome(
    client,
    path: str,
    data: dict,
    *,
    rows: Callable[[], Any],
    accepted: Callable[[HttpResponse], bool],
    **extra,
) -> HttpResponse:
    """Post ``data``; accepted or not it is no 500; refused, it says why and saves nothing."""
    before = rows()
    response = post(client, path, data, **extra)
    if not accepted(response):
        assert rows() == before, "a refused post changed rows"
        assert_refusal_shown(response, client)
    return response


def redirects_to(prefix: str) -> Callable[[HttpResponse], bool]:
    def check(response: HttpResponse) -> bool:
        return response.status_code == 302 and response["Location"].startswith(prefix)

    return check


# Valid-looking values ---------------------------------------------------------------------------

NAME = st.sampled_from(["Avery", "José", "O'Neil", "Nguyễn", "Anne-Marie", "李"])
PHONE = st.sampled_from(["(602) 555-0143", "+1 305 555 0100", "6025550143"])
ZIP = st.sampled_from(["85003", "85003-1234", "SW1A 1AA"])
COUNTRY = st.sampled_from(["United States", "USA", "Canada", ""])
EMAIL = st.sampled_from(["new.person@example.test", "Ünï@example.test", "a@b.c", "x@localhost"])
USERNAME = st.sampled_from(["newfiler2026", "jdoe.esq", "avery_lawson", "short"])
PROFILE = {
    "first_name": NAME,
    "last_name": NAME,
    "phone": PHONE,
    "address_line1": st.just("401 West Washington Street"),
    "address_line2": st.just("Suite 130"),
    "city": st.just("Phoenix"),
    "region": st.just("Arizona"),
    "postal_code": ZIP,
    "country": COUNTRY,
}


# Sign-up, registration step 1, sign-in ----------------------------------------------------------


SIGNUP_VALID = {
    "kind": st.sampled_from(list(SIGNUP_KINDS)),
    **PROFILE,
    "email": EMAIL,
    "username": USERNAME,
    "password1": st.just(GOOD_PASSWORD),
    "password2": st.just(GOOD_PASSWORD),
    "firm_name": st.just("Rivera & Okafor LLP"),
    "bar_number": st.just("2016042"),
    "bar_state": st.sampled_from(["Arizona", "Guam", "Atlantis"]),
    "filer_role": st.sampled_from([c for c, _ in User.FilerRole.choices]),
    "is_shared": st.sampled_from(["on", ""]),
}


def _signup_rows() -> tuple[int, ...]:
    from allauth.account.models import EmailAddress

    return User.objects.count(), EmailAddress.objects.count()


@FUZZ
@given(data=form_data(SIGNUP_VALID))
@example(data={"kind": "attorney_filer", "first_name": "A\x00", "password1": "x" * 100_000})
def test_signup_form(data):
    client = fuzz_client()
    with rolled_back():
        outcome(
            client,
            "/accounts/signup/",
            data,
            rows=_signup_rows,
            accepted=lambda r: r.status_code == 302 and "/accounts/confirm-email/" in r["Location"],
        )


@FUZZ
@given(
    kind=st.one_of(st.sampled_from(list(SIGNUP_KINDS)), FUZZ_VALUE),
    next_url=st.one_of(st.just("/account/"), st.just("//evil.test/"), FUZZ_VALUE),
)
def test_registration_step_one(kind, next_url):
    """Step 1 is a GET form: the kind and ``next`` arrive in the query string."""
    client = fuzz_client()
    with rolled_back():
        query = urlencoded({"kind": kind, "next": next_url}).decode()
        response = checked(client.get(f"/account/register/?{query}"))
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/signup/?kind=")
            assert "evil.test" not in response["Location"]
        else:
            assert_refusal_shown(response)


@pytest.fixture
def signer(db):
    return UserFactory(attorney=True, username="signinfuzz", email="signin@example.test")


@FUZZ
@given(
    data=form_data(
        {
            "login": st.sampled_from(
                ["signinfuzz", "signin@example.test", "SIGNINFUZZ", "nobody1"]
            ),
            "password": st.sampled_from([TEST_PASSWORD, "wrong password here"]),
            "remember": st.sampled_from(["on", ""]),
        }
    ),
    # The browser's User-Agent goes into the sign-in events (as a WSGI server passes it on:
    # latin-1, no control characters).
    user_agent=st.one_of(
        st.just("Mozilla/5.0"),
        st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), max_size=2000),
    ),
)
@example(data={"login": "signinfuzz", "password": "\x00" * 1_000_000}, user_agent="")
@example(data={"login": b"\xff\xfe", "password": b"\xc3\x28"}, user_agent="")
@example(data={"login": "signinfuzz", "password": TEST_PASSWORD}, user_agent="é" * 2000)
def test_sign_in_form(signer, data, user_agent):
    client = fuzz_client()
    with rolled_back():
        outcome(
            client,
            "/accounts/login/",
            data,
            rows=lambda: User.objects.filter(pk=signer.pk).values_list("last_login", "password")[0],
            accepted=lambda r: r.status_code == 302,
            HTTP_USER_AGENT=user_agent,
        )


# The upgrade wizard ----------------------------------------------------------------------------

UPGRADE_STEPS = ("person", "username", "password", "email", "terms")


@pytest.fixture
def legacy(db):
    """A legacy account whose username is shorter than today's minimum (all five steps)."""
    return UserFactory(legacy_2012=True, attorney=True, with_contact=True)


def _seed_wizard(client, user: User, step: str) -> None:
    """Mark the steps before ``step`` done, with what they would have collected."""
    done = list(UPGRADE_STEPS[: UPGRADE_STEPS.index(step)])
    email = user.email
    state = {
        "uid": user.pk,
        "done": done,
        "person": {name: getattr(user, name) for name in ("first_name", "last_name", "phone",
                   "address_line1", "address_line2", "city", "region", "postal_code", "country")},
        "username": "upgradedname1",
        "password_hash": make_password(GOOD_PASSWORD),
        "code": {
            "email": email,
            "digest": tokens.email_code_digest(user_id=user.pk, email=email, code=UPGRADE_CODE),
            "expires": int(PINNED_NOW.timestamp()) + 600,
        },
    }  # fmt: skip
    if "email" in done:
        state["email_verified"] = email
    session = client.session
    session[STATE_KEY] = state
    session.save()


UPGRADE_VALID = {
    **PROFILE,
    "username": USERNAME,
    "password1": st.just(GOOD_PASSWORD),
    "password2": st.just(GOOD_PASSWORD),
    "action": st.sampled_from(["verify", "send"]),
    "code": st.sampled_from([UPGRADE_CODE, "000000", "12 34 56"]),
    "accept": st.sampled_from(["on", "1", ""]),
}


@FUZZ
@given(step=st.sampled_from(UPGRADE_STEPS), data=form_data(UPGRADE_VALID))
@example(step="person", data={"first_name": "A\x00B", "phone": "\u202e(602) 555-0143"})
def test_upgrade_wizard(legacy, step, data):
    client = fuzz_client()
    client.force_login(legacy)
    with rolled_back():
        _seed_wizard(client, legacy, step)

        def rows():
            user = User.objects.get(pk=legacy.pk)
            return user.username, user.password, user.account_type, user.first_name

        before = rows()
        response = post(client, "/account/upgrade/", {"step": step, **data})
        if response.status_code == 302:
            # A step done goes on to the next ("send" a code comes back to the email step);
            # a refusal after the redirect shows an error message.
            assert response["Location"].startswith("/account/")
            followed = checked(client.get(response["Location"], follow=True))
            if not any(marker in page(followed) for marker in ERROR_MARKERS):
                return
        assert rows() == before
        if response.status_code != 302:
            assert_refusal_shown(response, client)


# Linking: the credential step, Submit, the CM/ECF password reset --------------------------------


@pytest.fixture
def link_court(db):
    return CourtFactory(id="azb", name="U.S. Bankruptcy Court, District of Arizona",
                        court_type="bankruptcy", nextgen=True,
                        help_desk=[{"phone": "(602) 682-4000", "division": "Phoenix"}])  # fmt: skip


@pytest.fixture
def linker(link_court):
    """A holder ready to link in azb, signed in and just re-authenticated, and their login."""
    user = UserFactory(attorney=True, username="linkfuzz1", first_name="Avery", last_name="Lawson")
    CmecfAccountFactory(court=link_court, login="alawson", holder_name="Lawson, Avery",
                        email_of_record=user.email)  # fmt: skip
    client = fuzz_client()
    client.force_login(user)
    response = client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


@FUZZ
@given(
    data=form_data(
        {
            "login": st.sampled_from(["alawson", "ALAWSON ", "nobody"]),
            "password": st.sampled_from([CMECF_TEST_PASSWORD, "not the password"]),
        }
    )
)
@example(data={"login": "alawson", "password": "\x00" * 200_000})
def test_link_credentials_form(linker, link_court, data):
    with rolled_back():
        outcome(
            linker,
            "/account/link/azb/",
            data,
            rows=LinkRequest.objects.count,
            accepted=redirects_to("/account/link/azb/verify/"),
        )


@FUZZ
@given(data=form_data({"token": st.sampled_from(["", "a" * 43, "x" * 101])}))
def test_link_submit_without_a_proved_login_files_nothing(linker, link_court, data):
    """Submit with no (or a forged) token restarts the flow with a message; nothing is filed."""
    with rolled_back():
        before = LinkRequest.objects.count()
        response = post(linker, "/account/link/azb/verify/", data)
        assert response.status_code == 302
        assert LinkRequest.objects.count() == before
        assert_refusal_shown(response, linker)


@FUZZ
@given(data=form_data({"login": st.sampled_from(["alawson", "nobody", "ALAWSON"])}))
def test_cmecf_reset_request_form(linker, link_court, data):
    with rolled_back():
        before = CmecfResetToken.objects.count()
        response = post(linker, "/account/link/azb/reset/", data)
        names = [t.name for t in response.templates]
        if response.status_code == 200 and "linking/reset_requested.html" in names:
            return  # one answer whatever the login
        assert CmecfResetToken.objects.count() == before
        assert_refusal_shown(response, linker)


@pytest.fixture
def reset_path(link_court):
    row = linking_services.request_cmecf_reset(
        court=link_court, login="alawson", now=PINNED_NOW, today=PINNED_NOW.date()
    )
    return f"/account/link/reset/{linking_services.reset_link_token(row.pk)}/"


@FUZZ
@given(
    token=st.one_of(st.none(), TEXT, NASTY),
    data=form_data(
        {
            "new_password1": st.sampled_from([GOOD_PASSWORD, "short"]),
            "new_password2": st.sampled_from([GOOD_PASSWORD, "other password 12345"]),
        }
    ),
)
def test_cmecf_reset_confirm_form(linker, reset_path, token, data):
    """The emailed link's set-password form (``token`` None: the real link; else forged)."""
    path = reset_path if token is None else f"/account/link/reset/{quote(token, safe='')}/"
    with rolled_back():

        def rows():
            return list(CmecfAccount.objects.order_by("pk").values_list("password", flat=True))

        before = rows()
        response = post(fuzz_client(), path, data)
        names = [t.name for t in response.templates]
        if response.status_code == 200 and "linking/reset_done.html" in names:
            return
        assert rows() == before
        assert_refusal_shown(response)


# E-file registration ---------------------------------------------------------------------------


@pytest.fixture
def efile_courts(db):
    CourtFactory(
        id="flsb",
        name="U.S. Bankruptcy Court, Southern District of Florida",
        court_type="bankruptcy",
        nextgen_date=dt.date(2022, 4, 4),
        required_local_form="LF-95",
    )
    CourtFactory(id="arb", name="U.S. Bankruptcy Court, Western District of Arkansas",
                 court_type="bankruptcy", currentgen=True,
                 filer_may_propose_login=True)  # fmt: skip


EFILE_PATHS = (
    "/account/efile/new/attorney/flsb/",
    "/account/efile/new/non-attorney/flsb/",
    "/ecf/arb/register/",
)
EFILE_VALID = {
    "registration_type": st.sampled_from(["efile_attorney", "pro_hac_vice", "filing_agent"]),
    "bar_number": st.just("2016042"),
    "bar_state": st.just("Florida"),
    "case_number": st.just("1:22-bk-11234"),
    "firm_name": st.just("Doe & Roe LLP"),
    "phone": PHONE,
    "local_form_completed_on": st.sampled_from(["2026-11-10", "2027-01-01", "11/10/2026"]),
    "local_form_reference": st.just("LF95-7731"),
    "requested_login": st.sampled_from(["jdoe-esq", "no spaces", "-dash"]),
    "notes": TEXT,
    "terms_accepted": st.sampled_from(["on", ""]),
}


@FUZZ
@given(path=st.sampled_from(EFILE_PATHS), data=form_data(EFILE_VALID))
@example(path=EFILE_PATHS[0], data={"local_form_completed_on": "99999-01-01"})
def test_efile_registration_form(attorney, efile_courts, path, data):
    client = fuzz_client()
    client.force_login(attorney)
    with rolled_back():
        outcome(
            client,
            path,
            data,
            rows=EfileRegistration.objects.count,
            accepted=redirects_to("/account/efile/"),
        )


# Filing: a document into an open case (multipart, random files) -----------------------------------


@pytest.fixture
def filing_setup(db):
    """A NextGen bankruptcy court with a 50 KB PDF limit (so "too large" is cheap to post),
    an open case, and a signed-in attorney with filing rights there."""
    court = CourtFactory(id="flsb", name="U.S. Bankruptcy Court, Southern District of Florida",
                         court_type="bankruptcy", nextgen_date=dt.date(2022, 4, 4),
                         pdf_size_limit_mb=Decimal("0.05"))  # fmt: skip
    case = CaseFactory(court=court, number="1:22-bk-11234", title="In re Coral Gables Marine")
    AttorneyOfRecordFactory(case=case)
    client = fuzz_client()
    client.force_login(filer_in(court))
    return client, case


REAL_PDF = pdf_bytes(1)
FILE_BYTES = st.one_of(
    st.just(REAL_PDF),
    st.binary(max_size=4096),
    st.binary(max_size=4096).map(lambda b: b"%PDF-1.7\n" + b),
    # A real PDF, cut short or with bytes changed.
    st.integers(min_value=0, max_value=len(REAL_PDF)).map(lambda n: REAL_PDF[:n]),
    st.tuples(st.integers(0, len(REAL_PDF) - 1), st.binary(min_size=1, max_size=8)).map(
        lambda t: REAL_PDF[: t[0]] + t[1] + REAL_PDF[t[0] + len(t[1]) :]
    ),
    st.integers(min_value=50_000, max_value=200_000).map(lambda n: b"%PDF-1.4\n" + b"0" * n),
)
# Names as a client may send them, quotes and line breaks included (those garble the
# multipart framing: the server must still answer sensibly).
FILE_NAMES = st.one_of(
    st.sampled_from(["motion.pdf", "MOTION.PDF", "a" * 300 + ".pdf", "x.exe", ".pdf", ".", "..",
                     "résumé 😀.pdf", "\u202efdp.exe", "..\\..\\boot.ini", "a\x00b.pdf",
                     'a"b.pdf', "a\r\nContent-Type: text/html\r\n\r\n.pdf", "%2e%2e.pdf"]),
    st.text(st.characters(codec="utf-8", exclude_characters="/"), min_size=1, max_size=40),
)  # fmt: skip
FILING_VALID = {
    "text": TEXT,
    "card_number": st.sampled_from([GOOD_CARD, "4000000000000002", "1234"]),
    "card_expiry_month": st.sampled_from(["12", "13", "0"]),
    "card_expiry_year": st.sampled_from(["2030", "1999", "20300"]),
    "card_name": NAME,
}


class RawUpload(io.BytesIO):
    """A file for the test client's multipart encoder under any name at all (Django's
    ``SimpleUploadedFile`` refuses names like "." before anything is sent; the server must
    cope with whatever a client puts in the Content-Disposition)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.content_type = "application/pdf"


def _multipart_value(value: Any) -> Any:
    """The test client's multipart encoder takes text, numbers and lists of them (bytes are
    decoded as they would be read: invalid UTF-8 replaced)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, list):
        return [_multipart_value(item) for item in value]
    return value


@FUZZ
@given(
    # Mostly a real event and a real PDF, so that filings get through to the service too.
    event_code=st.one_of(
        st.sampled_from([e.code for e in efiling.events_for("bk", opening=False)]),
        st.sampled_from(["motion", "notice_of_appearance", "motion_relief_stay"]),
        TEXT,
    ),
    content=st.one_of(st.just(REAL_PDF), st.just(REAL_PDF), st.none(), FILE_BYTES),
    name=FILE_NAMES,
    data=form_data(FILING_VALID),
)
@example(event_code="motion", content=b"%PDF-1.7\n" + b"\x00" * 64, name="m.pdf", data={})
@example(event_code="motion", content=REAL_PDF, name="résumé 😀.pdf", data={"text": "\x00"})
@example(event_code="motion", content=REAL_PDF, name=".", data={})
def test_filing_upload_form(filing_setup, event_code, content, name, data):
    client, case = filing_setup
    body = {k: _multipart_value(v) for k, v in data.items() if k != "document"}
    if content is not None:
        body["document"] = RawUpload(content, name)
    path = f"/ecf/flsb/cases/{case.pk}/file/?{urlencoded({'event': event_code}).decode()}"
    with rolled_back():
        before = filing_rows()
        response = checked(client.post(path, body))
        names = [t.name for t in response.templates]
        if response.status_code == 200 and "filing/ecf/nef_receipt.html" in names:
            event("filed")
            return
        assert filing_rows() == before
        assert_refusal_shown(response, client)


OPEN_CASE_VALID = {
    "event": st.sampled_from(["petition_ch7", "petition_ch13", "complaint"]),
    "title": st.sampled_from(["In re Jane Doe", "Doe v. Roe"]),
    "party_1_name": NAME,
    "party_1_role": st.just("Debtor"),
    "party_2_name": NAME,
    "party_2_role": TEXT,
    **FILING_VALID,
}


@FUZZ
@given(
    content=st.one_of(st.just(REAL_PDF), st.just(REAL_PDF), st.none(), FILE_BYTES),
    name=FILE_NAMES,
    data=form_data(OPEN_CASE_VALID),
)
def test_open_case_form(filing_setup, content, name, data):
    client, _case = filing_setup
    body = {k: _multipart_value(v) for k, v in data.items() if k != "document"}
    if content is not None:
        body["document"] = RawUpload(content, name)
    with rolled_back():
        before = (filing_rows(), Case.objects.count())
        response = checked(client.post("/ecf/flsb/file/new-case/", body))
        names = [t.name for t in response.templates]
        if response.status_code == 200 and "filing/ecf/nef_receipt.html" in names:
            event("filed")
            return
        assert (filing_rows(), Case.objects.count()) == before
        assert_refusal_shown(response, client)


# PAA add member, court subscriptions, profile, filing agents -------------------------------------


@pytest.fixture
def firm(db):
    """A PAA signed in, and the attorney it may add (Okafor, 2345678)."""
    UserFactory(attorney=True, first_name="Dana", last_name="Okafor", account_number="2345678")
    client = fuzz_client()
    client.force_login(PaaFactory(firm="Rivera & Okafor LLP", with_contact=True))
    return client


@FUZZ
@given(
    data=form_data(
        {
            "last_name": st.sampled_from(["Okafor", "okafor ", "Nobody"]),
            "account_number": st.sampled_from(["2345678", " 2345678 ", "1234567", "23456789"]),
        }
    )
)
def test_paa_add_member_form(firm, data):
    with rolled_back():
        outcome(
            firm,
            "/account/paa/members/add/",
            data,
            rows=PaaMembership.objects.count,
            accepted=redirects_to("/account/paa/"),
        )


@pytest.fixture
def subscribe_court(db):
    return CourtFactory(id="nysb", name="U.S. Bankruptcy Court, Southern District of New York",
                        court_type="bankruptcy", upcoming=True)  # fmt: skip


@FUZZ
@given(data=form_data({"email": EMAIL}))
@example(data={"email": "a@b.c\r\nBcc: victim@example.test"})
def test_court_subscribe_form(subscribe_court, data):
    with rolled_back():
        outcome(
            fuzz_client(),
            "/courts/nysb/subscribe/",
            data,
            rows=Subscription.objects.count,
            accepted=redirects_to("/courts/nysb/"),
        )


@FUZZ
@given(data=form_data(PROFILE))
@example(data={"first_name": "\x00", "last_name": "x" * 100_000, "postal_code": "８５００３"})
def test_profile_form(attorney, data):
    client = fuzz_client()
    client.force_login(attorney)
    fields = tuple(PROFILE)
    with rolled_back():
        outcome(
            client,
            "/account/profile/",
            data,
            rows=lambda: User.objects.filter(pk=attorney.pk).values_list(*fields)[0],
            accepted=lambda r: r.status_code == 302,
        )


@pytest.fixture
def principal(db):
    """An attorney with filing rights in flsb, signed in; an agent registered there."""
    court = CourtFactory(id="flsb", court_type="bankruptcy", nextgen_date=dt.date(2022, 4, 4))
    agent = UserFactory(filing_agent=True, username="agentfuzz9")
    FilingRightFactory(holder=agent, court=court, filing_agent=True)
    client = fuzz_client()
    client.force_login(filer_in(court))
    return client


@FUZZ
@given(
    data=form_data(
        {
            "court": st.sampled_from(["flsb", "azb"]),
            "agent_username": st.sampled_from(["agentfuzz9", "AGENTFUZZ9 ", "nobody123"]),
            "may_pay_fees": st.sampled_from(["on", ""]),
        }
    )
)
def test_filing_agent_designation_form(principal, data):
    with rolled_back():
        outcome(
            principal,
            "/account/agents/",
            data,
            rows=FilingAgent.objects.count,
            accepted=redirects_to("/account/agents/"),
        )


# The harness itself -----------------------------------------------------------------------------


def _well_formed(request) -> tuple[Any, str, dict, Callable[[], Any]]:
    """(client, path, a post each form accepts, the rows it writes) for each form above."""
    name = request.param
    profile = {
        "first_name": "Avery", "last_name": "Lawson", "phone": "(602) 555-0143",
        "address_line1": "401 West Washington Street", "city": "Phoenix", "region": "Arizona",
        "postal_code": "85003", "country": "United States",
    }  # fmt: skip
    if name == "signup":
        data = {"kind": "case_search", **profile, "email": "new.person@example.test",
                "username": "newfiler2026", "password1": GOOD_PASSWORD,
                "password2": GOOD_PASSWORD}  # fmt: skip
        return fuzz_client(), "/accounts/signup/", data, _signup_rows
    if name == "profile":
        client = fuzz_client()
        user = request.getfixturevalue("attorney")
        client.force_login(user)
        return client, "/account/profile/", profile, lambda: User.objects.get(pk=user.pk).city
    if name == "link":
        data = {"login": "alawson", "password": CMECF_TEST_PASSWORD}
        return request.getfixturevalue("linker"), "/account/link/azb/", data, lambda: None
    if name == "efile":
        client = fuzz_client()
        client.force_login(request.getfixturevalue("attorney"))
        request.getfixturevalue("efile_courts")
        data = {"registration_type": "efile_attorney", "bar_number": "2016042",
                "local_form_completed_on": "2026-11-10", "terms_accepted": "on"}  # fmt: skip
        return client, EFILE_PATHS[0], data, EfileRegistration.objects.count
    if name == "paa":
        data = {"last_name": "Okafor", "account_number": "2345678"}
        client = request.getfixturevalue("firm")
        return client, "/account/paa/members/add/", data, PaaMembership.objects.count
    if name == "subscribe":
        request.getfixturevalue("subscribe_court")
        data = {"email": "Reader@Example.test"}
        return fuzz_client(), "/courts/nysb/subscribe/", data, Subscription.objects.count
    assert name == "agents"
    data = {"court": "flsb", "agent_username": "agentfuzz9"}
    return request.getfixturevalue("principal"), "/account/agents/", data, FilingAgent.objects.count


@pytest.fixture(params=["signup", "profile", "link", "efile", "paa", "subscribe", "agents"])
def well_formed(request):
    return _well_formed(request)


def test_a_well_formed_post_is_accepted_and_writes_its_rows(well_formed):
    """The harness sends what a browser sends: each form accepts a well-formed post (so the
    fuzz tests reach both outcomes) and the row counts they watch do see its writes."""
    client, path, data, rows = well_formed
    with rolled_back():
        before = rows()
        response = post(client, path, data)
        assert response.status_code == 302, page(response)[:3000]
        if path != "/account/link/azb/":
            assert rows() != before


def test_a_well_formed_filing_is_accepted_and_writes_its_rows(filing_setup):
    client, case = filing_setup
    with rolled_back():
        before = filing_rows()
        document = SimpleUploadedFile("motion.pdf", REAL_PDF, content_type="application/pdf")
        response = checked(
            client.post(f"/ecf/flsb/cases/{case.pk}/file/?event=motion", {"document": document})
        )
        assert "filing/ecf/nef_receipt.html" in [t.name for t in response.templates]
        assert filing_rows()["entries"] == before["entries"] + 1
