"""Linking factories; traits are named after account and request states."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.hashers import make_password

from linking.models import CmecfAccount, LinkEvent, LinkRequest
from tests.courts.factories import CourtFactory
from tests.factories import UserFactory

# The court-issued password of every CmecfAccountFactory login (unless raw_password is given).
CMECF_TEST_PASSWORD = "court-issued Pa55word"
# The tests' usual pinned moment (tests.conftest.PINNED_NOW).
AT = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


class CmecfAccountFactory(factory.django.DjangoModelFactory):
    """An active attorney login of a NextGen district court, with a known password."""

    class Meta:
        model = CmecfAccount

    court = factory.SubFactory(CourtFactory, nextgen=True)
    login = factory.Sequence(lambda n: f"filer{n:04d}")
    password = factory.LazyAttribute(lambda o: make_password(o.raw_password))
    holder_name = factory.Faker("name")
    email_of_record = factory.LazyAttribute(lambda o: f"{o.login}@lawfirm.example.test")
    bar_id = factory.Sequence(lambda n: f"AR{2000 + n}")
    role = CmecfAccount.Role.ATTORNEY
    status = CmecfAccount.Status.ACTIVE

    class Params:
        raw_password = CMECF_TEST_PASSWORD
        linked = factory.Trait(
            linked_account=factory.SubFactory(UserFactory, attorney=True),
            linked_at=AT,
            status=CmecfAccount.Status.RETIRED,
        )
        # Locked by the link form's lockout (5 wrong passwords), for 15 minutes from AT.
        locked = factory.Trait(locked_until=AT + dt.timedelta(minutes=15), lock_count=1)
        retired = factory.Trait(status=CmecfAccount.Status.RETIRED)
        court_locked = factory.Trait(status=CmecfAccount.Status.LOCKED)


class LinkRequestFactory(factory.django.DjangoModelFactory):
    """A request in ``submitted`` by an attorney for a login of a NextGen court, whose
    names and email match (no flags). Traits set the other states as the services would."""

    class Meta:
        model = LinkRequest

    pacer_account = factory.SubFactory(UserFactory, attorney=True)
    court = factory.SubFactory(CourtFactory, nextgen=True)
    cmecf_account = factory.SubFactory(
        CmecfAccountFactory,
        court=factory.SelfAttribute("..court"),
        holder_name=factory.LazyAttribute(lambda o: o.factory_parent.pacer_account.full_name),
        email_of_record=factory.LazyAttribute(lambda o: o.factory_parent.pacer_account.email),
    )
    status = LinkRequest.Status.SUBMITTED
    submitted_at = AT
    expires_at = factory.LazyAttribute(
        lambda o: o.submitted_at + dt.timedelta(days=o.court.link_request_expiry_days)
    )
    processing_enqueued_at = AT

    class Params:
        verified = factory.Trait(status=LinkRequest.Status.VERIFIED, verified_at=AT)
        pending_review = factory.Trait(status=LinkRequest.Status.PENDING_REVIEW, verified_at=AT)
        approved = factory.Trait(
            status=LinkRequest.Status.APPROVED,
            verified_at=AT,
            decided_at=AT,
            cmecf_account__linked_account=factory.SelfAttribute("..pacer_account"),
            cmecf_account__linked_at=AT,
            cmecf_account__status=CmecfAccount.Status.RETIRED,
        )
        rejected = factory.Trait(
            status=LinkRequest.Status.REJECTED,
            verified_at=AT,
            decided_at=AT,
            reason="Bar number does not match our roster.",
        )
        cancelled = factory.Trait(
            status=LinkRequest.Status.CANCELLED, decided_at=AT, reason="Cancelled."
        )
        expired = factory.Trait(status=LinkRequest.Status.EXPIRED, decided_at=AT)
        failed = factory.Trait(status=LinkRequest.Status.FAILED, decided_at=AT, reason="Failed.")


class LinkEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkEvent

    request = factory.SubFactory(LinkRequestFactory)
    from_status = ""
    to_status = LinkRequest.Status.SUBMITTED
    created_at = AT
