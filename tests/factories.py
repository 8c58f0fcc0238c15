"""factory-boy factories; traits are named after account states."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress

from accounts.models import User

TEST_PASSWORD = "correct horse battery staple"


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
