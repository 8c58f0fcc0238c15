"""factory-boy factories; traits are named after account states."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress

from accounts.models import User

TEST_PASSWORD = "correct horse battery staple"
# The base32 TOTP secret of accounts made with the ``with_totp`` trait.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    """An upgraded, case-search PACER account with a verified primary email."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pacer{n:05d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    account_number = factory.Sequence(lambda n: f"{2_000_000 + n}")
    registered_on = dt.date(2018, 4, 2)
    account_type = User.AccountType.UPGRADED
    account_kind = User.AccountKind.CASE_SEARCH

    class Params:
        attorney = factory.Trait(account_kind=User.AccountKind.ATTORNEY_FILER)
        legacy = factory.Trait(
            registered_on=dt.date(2010, 1, 4), account_type=User.AccountType.LEGACY
        )
        shared = factory.Trait(is_shared=True)
        psc_staff = factory.Trait(is_staff=True, is_superuser=True)
        # An authenticator app with a known secret (TEST_TOTP_SECRET): codes via pyotp.
        with_totp = factory.Trait(totp__secret=TEST_TOTP_SECRET)
        # Registration and account states (registration, issue 4).
        legacy_2012 = factory.Trait(
            registered_on=dt.date(2012, 5, 20),
            account_type=User.AccountType.LEGACY,
            username=factory.Sequence(lambda n: f"lg{n:04d}"),
        )
        inactive = factory.Trait(case_search_status=User.CaseSearchStatus.INACTIVE)
        on_hold = factory.Trait(registration_status=User.RegistrationStatus.ON_HOLD)
        rejected = factory.Trait(registration_status=User.RegistrationStatus.REJECTED)
        bar_admitted = factory.Trait(
            account_kind=User.AccountKind.ATTORNEY_FILER, bar_number="2016042", bar_state="Arkansas"
        )
        filing_agent = factory.Trait(
            account_kind=User.AccountKind.NON_ATTORNEY_FILER,
            filer_role=User.FilerRole.FILING_AGENT,
        )
        pro_se = factory.Trait(
            account_kind=User.AccountKind.NON_ATTORNEY_FILER, filer_role=User.FilerRole.PRO_SE
        )
        with_contact = factory.Trait(
            phone="(602) 555-0143",
            address_line1="401 West Washington Street",
            city="Phoenix",
            region="Arizona",
            postal_code="85003",
            country="United States",
        )

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def email_verified(obj, create, extracted, **kwargs):
        """The primary EmailAddress allauth checks; verified unless told otherwise."""
        if create:
            EmailAddress.objects.get_or_create(
                user=obj,
                email=obj.email,
                defaults={"primary": True, "verified": extracted is not False},
            )

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """``totp=<base32 secret>`` (the ``with_totp`` trait passes ``totp__secret``): an allauth
        authenticator app, stored as allauth stores it (encrypted by the MFA adapter)."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        secret = extracted or kwargs.get("secret")
        if not (create and secret):
            return
        if not Authenticator.objects.filter(user=obj, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(obj, secret)


class PaaFactory(UserFactory):
    """A firm's PACER Administrative Account (upgraded), with its firm details."""

    account_kind = User.AccountKind.PAA
    username = factory.Sequence(lambda n: f"paa{n:05d}")

    @factory.post_generation
    def firm(obj, create, extracted, **kwargs):
        from accounts.models import PaaProfile

        if create:
            PaaProfile.objects.get_or_create(
                account=obj,
                defaults={
                    "firm_name": extracted or f"Firm of {obj.last_name} LLP",
                    "created_at": dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC),
                },
            )


class PaaMembershipFactory(factory.django.DjangoModelFactory):
    """An active membership (since the tests' pinned moment); traits name the states."""

    class Meta:
        model = "accounts.PaaMembership"

    paa = factory.SubFactory(PaaFactory)
    member = factory.SubFactory(UserFactory, attorney=True)
    status = "active"
    requested_at = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)
    started_at = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)

    class Params:
        requested = factory.Trait(status="requested", started_at=None)
        ended = factory.Trait(
            status="ended", ended_at=dt.datetime(2026, 11, 17, 15, 0, tzinfo=dt.UTC)
        )
