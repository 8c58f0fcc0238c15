"""The suite's N+1 watch (cso_portal.core.querywatch) notices a per-row loop and only that."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from accounts.models import User
from cso_portal.core import querywatch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _per_row(request):
    # The N+1 shape: one query for the ids, then one lookup per row.
    names = [User.objects.get(pk=pk).username for pk in User.objects.values_list("pk", flat=True)]
    return HttpResponse(", ".join(names))


def _same_lookup_repeated(request):
    first = User.objects.order_by("pk").first()
    for _ in range(10):
        User.objects.filter(pk=first.pk).exists()
    return HttpResponse("ok")


def _bulk_by_design(request):
    querywatch.allow_per_row(request, "a bulk action, one row at a time on purpose")
    return _per_row(request)


urlpatterns = [
    path("per-row/", _per_row),
    path("same/", _same_lookup_repeated),
    path("bulk/", _bulk_by_design),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_lookup_per_row_is_a_finding_and_a_repeated_lookup_is_not(client):
    UserFactory.create_batch(6)
    querywatch.take_findings()

    assert client.get("/same/").status_code == 200
    assert querywatch.take_findings() == []

    assert client.get("/bulk/").status_code == 200
    assert querywatch.take_findings() == []

    assert client.get("/per-row/").status_code == 200
    (finding,) = querywatch.take_findings()
    assert finding.startswith("GET /per-row/: 6 rows × SELECT")
    assert "accounts_user" in finding


@override_settings(ROOT_URLCONF=__name__)
def test_below_the_threshold_is_not_a_finding(client):
    UserFactory.create_batch(querywatch.THRESHOLD - 1)
    querywatch.take_findings()
    assert client.get("/per-row/").status_code == 200
    assert querywatch.take_findings() == []
