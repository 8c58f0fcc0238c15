# ruff: noqa: E501  (the matrix reads as a table)
"""Who may open which account page: every persona × every account page, from one table.

A page added to the table without an expected outcome for each persona fails the test, so
new pages join the matrix deliberately. (The URL-resolver-wide matrix arrives with the proof
work; this one covers the account, console and linking pages.)
"""

from __future__ import annotations

import pytest

from tests.factories import PaaFactory, PaaMembershipFactory, UserFactory

PERSONAS = {
    "attorney": {"attorney": True},
    "legacy attorney": {"attorney": True, "legacy": True},
    "shared account": {"shared": True},
    "inactive search-only": {"inactive": True},
    "filing agent": {"filing_agent": True},
    "pro se": {"pro_se": True},
    "PSC staff": {"psc_staff": True, "with_totp": True},
    # A firm's PACER Administrative Account (PaaFactory): no case access, no filing (seed 004).
    "PAA admin": {"paa": True, "with_totp": True},
    # An attorney who is an active member of a PAA: their own account's access, unchanged.
    "PAA member": {"attorney": True, "with_totp": True, "paa_member": True},
}

# Outcomes: ok = 200; login = sent to sign in; upgrade = sent to the upgrade wizard first;
# manage = sent back to Manage My Account (nothing to do there); reauth = asked to confirm
# it's them first; paa = sent to the PAA's own page of the same kind.
# A PAA has no case access and no filing rights (seed 004): every ECF page refuses it (403);
# the Manage My Account link and e-file pages explain that it has no filing privileges.
# A PAA member is an attorney whose access the membership does not change.
MATRIX = {
    #                              anonymous attorney  legacy    shared    inactive  agent     pro se    PSC       PAA admin PAA member
    "/account/":                  ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/profile/":          ("login",  "ok",     "upgrade", "ok",    "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/maintenance/":      ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/payments/":         ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "paa",    "ok"),
    "/account/usage/":            ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/history/":          ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/upgrade/":          ("login",  "manage", "ok",     "manage", "manage", "manage", "manage", "manage", "manage", "manage"),
    "/account/register/":         ("ok",     "manage", "manage", "manage", "manage", "manage", "manage", "manage", "manage", "manage"),
    # Filers (attorney, agent, pro se) are due to set up two-factor; others have nothing to do.
    "/account/two-factor/":       ("login",  "ok",     "ok",     "manage", "manage", "ok",     "ok",     "manage", "manage", "manage"),
    "/accounts/email/":           ("login",  "ok",     "upgrade", "ok",    "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/accounts/password/change/": ("login",  "ok",     "upgrade", "ok",    "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/accounts/2fa/":             ("login",  "ok",     "upgrade", "ok",    "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/accounts/sessions/":        ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/console/":                  ("login",  "login",  "login",  "login",  "login",  "login",  "login",  "ok",     "login",  "login"),
    # Linking: every signed-in persona reaches the pages, which explain their own refusals;
    # the credential step first asks to confirm it's them (re-authentication).
    "/account/link/":             ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/link/azb/":         ("login",  "reauth", "reauth", "reauth", "reauth", "reauth", "reauth", "reauth", "reauth", "reauth"),
    "/account/courts/":           ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/ecf/azb/":                  ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "403",    "ok"),
    # E-filing: the pages explain their own refusals (legacy, shared…) with the way forward.
    "/account/efile/":            ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/efile/new/attorney/": ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/efile/new/attorney/azb/": ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/account/agents/":           ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok"),
    "/ecf/azb/change-user/":      ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "403",    "ok"),
    "/ecf/azb/nef-addresses/":    ("login",  "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "ok",     "403",    "ok"),
    # Case information needs an active case search status (seed 002): inactive → 403.
    "/ecf/azb/search/":           ("login",  "ok",     "ok",     "ok",     "403",    "ok",     "ok",     "ok",     "403",    "ok"),
    "/ecf/azb/cases/{case}/":     ("login",  "ok",     "ok",     "ok",     "403",    "ok",     "ok",     "ok",     "403",    "ok"),
    "/ecf/azb/cases/{case}/doc/1/": ("login",  "ok",     "ok",     "ok",     "403",    "ok",     "ok",     "ok",     "403",    "ok"),
    # Filing needs an upgraded individual account with filing rights in the court: nobody
    # here holds rights in azb, so each gets the refusal page (403) with its own message.
    "/ecf/azb/cases/{case}/file/":("login",  "403",    "403",    "403",    "403",    "403",    "403",    "403",    "403",    "403"),
    "/ecf/azb/file/new-case/":    ("login",  "403",    "403",    "403",    "403",    "403",    "403",    "403",    "403",    "403"),
    # Firm readiness: the PAA's own page; any other account gets a 404.
    "/account/paa/readiness/":    ("login",  "404",    "404",    "404",    "404",    "404",    "404",    "404",    "ok",     "404"),
}  # fmt: skip
COLUMNS = ["anonymous", *PERSONAS]


def _outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    if location.startswith(("/accounts/login/", "/console/login/")):
        return "login"
    if location.startswith("/account/upgrade/"):
        return "upgrade"
    if location.startswith("/accounts/reauthenticate/"):
        return "reauth"
    if location == "/account/":
        return "manage"
    if location.startswith("/account/paa/"):
        return "paa"
    return f"302 {location}"


def _persona(persona: str):
    """The signed-in account of ``persona`` (``paa``: a PAA; ``paa_member``: in a PAA)."""
    traits = dict(PERSONAS[persona])
    factory = PaaFactory if traits.pop("paa", False) else UserFactory
    paa_member = traits.pop("paa_member", False)
    user = factory(username=f"matrix{COLUMNS.index(persona):02d}", **traits)
    if paa_member:
        PaaMembershipFactory(member=user)
    return user


def test_every_row_has_an_outcome_for_every_persona():
    assert all(len(row) == len(COLUMNS) for row in MATRIX.values())


@pytest.mark.django_db
@pytest.mark.parametrize("persona", COLUMNS)
def test_each_persona_sees_exactly_the_account_pages_it_should(client, persona, frozen_clock):
    from tests.courts.factories import CourtFactory
    from tests.filing.factories import CaseFactory, DocketEntryFactory, document_for

    azb = CourtFactory(id="azb", nextgen=True, bankruptcy=True)  # for linking and filing rows
    case = CaseFactory(court=azb, last_entry_number=1)
    document_for(DocketEntryFactory(case=case, number=1))
    if persona != "anonymous":
        client.force_login(_persona(persona))
    column = COLUMNS.index(persona)
    seen = {path: _outcome(client.get(path.format(case=case.pk))) for path in MATRIX}
    expected = {path: row[column] for path, row in MATRIX.items()}
    assert seen == expected
