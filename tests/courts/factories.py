"""Court factories for tests that must not depend on the reference data loader."""

from __future__ import annotations

import datetime as dt

import factory

from courts.models import Court, CourtCounty, GoLiveChange

# When published schedule steps were recorded (the tests' usual pinned moment).
RECORDED_AT = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


class CourtFactory(factory.django.DjangoModelFactory):
    """A district court on CurrentGen with no go-live date; traits name schedule states."""

    class Meta:
        model = Court
        django_get_or_create = ("id",)

    id = factory.Sequence(lambda n: f"tst{n:03d}")
    feed_code = factory.LazyAttribute(lambda o: o.id.upper())
    name = factory.Sequence(lambda n: f"Test District Court {n:03d}")
    court_type = Court.CourtType.DISTRICT
    circuit = "08"
    state = "Arkansas"
    web_url = factory.LazyAttribute(lambda o: f"https://www.{o.id}.uscourts.gov/")
    ecf_url = factory.LazyAttribute(lambda o: f"https://ecf.{o.id}.uscourts.gov/")

    class Params:
        # On NextGen since a published date.
        nextgen = factory.Trait(
            nextgen_date=dt.date(2021, 3, 29),
            nextgen_source="https://www.example.test/nextgen-notice",
        )
        # No date, no evidence: CurrentGen whatever the day.
        currentgen = factory.Trait(nextgen_date=None, nextgen_evidence_date=None)
        # Going live after the tests' pinned day (12 days after 16 Nov 2026).
        upcoming = factory.Trait(nextgen_date=dt.date(2026, 11, 28))
        # On NextGen by evidence only: the date was never published.
        evidence_only = factory.Trait(nextgen_date=None, nextgen_evidence_date=dt.date(2023, 1, 10))
        unconfirmed = factory.Trait(
            nextgen_date=dt.date(2027, 1, 29),
            nextgen_date_confirmed=False,
            nextgen_date_note="~end of January 2027",
        )
        appellate = factory.Trait(
            id=factory.Sequence(lambda n: f"ca{n + 1}"),
            name=factory.Sequence(lambda n: f"Test Court of Appeals {n + 1}"),
            court_type=Court.CourtType.APPELLATE,
        )
        bankruptcy = factory.Trait(
            name=factory.Sequence(lambda n: f"Test Bankruptcy Court {n:03d}"),
            court_type=Court.CourtType.BANKRUPTCY,
        )


class CourtCountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourtCounty
        django_get_or_create = ("court", "state", "name")

    court = factory.SubFactory(CourtFactory)
    name = factory.Sequence(lambda n: f"County {n}")
    state = factory.LazyAttribute(lambda o: o.court.state)


class GoLiveChangeFactory(factory.django.DjangoModelFactory):
    """A published (actor-less) step of a court's schedule."""

    class Meta:
        model = GoLiveChange

    court = factory.SubFactory(CourtFactory)
    old_date = None
    new_date = dt.date(2021, 3, 29)
    actor = None
    reason = "Announced by the court"
    source = ""
    changed_at = RECORDED_AT
