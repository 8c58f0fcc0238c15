"""``manage.py load_demo_cases``: demo cases in the loaded demo courts, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from cso_portal.core.models import OutboundEmail
from filing.models import (
    AttorneyOfRecord,
    Case,
    DocketEntry,
    Document,
    DocumentContent,
    EfileRegistration,
    FilingRight,
    Party,
)
from filing.services.efiling import check_pdf
from tests.courts.factories import CourtFactory

pytestmark = pytest.mark.django_db

DEMO_ATTORNEYS = {"dmorgan1", "jpatel1", "sgarcia1"}


@pytest.fixture
def demo_courts(db):
    courts = {
        court_id: CourtFactory(id=court_id, bankruptcy=True, nextgen=True)
        for court_id in ("areb", "arwb", "azb")
    }
    courts["flsb"] = CourtFactory(
        id="flsb", bankruptcy=True, nextgen=True, required_local_form="LF-95"
    )
    courts["ared"] = CourtFactory(id="ared", nextgen=True)
    return courts


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo_cases", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = (Case, Party, AttorneyOfRecord, DocketEntry, Document, DocumentContent,
              FilingRight, EfileRegistration, User, OutboundEmail)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


def test_demo_cases_in_each_demo_court(demo_courts, frozen_clock):
    output = _load()
    assert "created" in output
    kinds = dict(Case.objects.values_list("court_id", "kind").distinct())
    assert kinds == {"areb": "bk", "arwb": "bk", "azb": "bk", "flsb": "bk", "ared": "cv"}
    attorney1 = User.objects.get(username="attorney1")
    for case in Case.objects.all():
        assert case.parties.count() >= 2
        assert case.entries.count() >= 2
        assert case.last_entry_number == case.entries.count()
        appearing = set(case.attorneys.values_list("attorney__username", flat=True))
        assert "attorney1" in appearing
        assert appearing & DEMO_ATTORNEYS
    # attorney1 holds no filing right (the training has them link or register first).
    assert not FilingRight.objects.filter(holder=attorney1).exists()
    for username in DEMO_ATTORNEYS:
        attorney = User.objects.get(username=username)
        assert attorney.email.endswith("@example.test")
        courts = set(attorney.appearances.values_list("case__court_id", flat=True))
        rights = set(attorney.filing_rights.values_list("court_id", flat=True))
        assert rights == courts
    assert FilingRight.objects.get(holder__username="sgarcia1").registration.local_form == "LF-95"
    # Real PDFs, page counts as recorded; one 45-page document, a transcript, an opinion.
    for document in Document.objects.select_related("content", "entry__case__court"):
        data = bytes(document.content.data)
        assert check_pdf(data=data, court=document.entry.case.court) == document.page_count
    assert Document.objects.filter(page_count=45, is_transcript=False).exists()
    assert Document.objects.filter(is_transcript=True).exists()
    assert Document.objects.filter(is_opinion=True).exists()


def test_a_second_run_changes_nothing(demo_courts, frozen_clock):
    _load()
    before = _counts()
    output = _load()
    assert _counts() == before
    assert "created" not in output
    assert output.count("exists") == Case.objects.count()


def test_only_loaded_courts_get_cases(frozen_clock, db):
    CourtFactory(id="flsb", bankruptcy=True, nextgen=True, required_local_form="LF-95")
    CourtFactory(id="azd", nextgen=True)
    _load()
    assert set(Case.objects.values_list("court_id", flat=True)) == {"flsb", "azd"}


def test_no_demo_court_loaded_says_so(frozen_clock, db):
    assert "run manage.py load_courts first" in _load()
    assert Case.objects.count() == 0
