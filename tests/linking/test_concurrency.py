"""Races on PostgreSQL: parallel approvals of one request (PROOF 12), parallel processing."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cso_portal.core.models import OutboundEmail
from linking import services
from linking.errors import IllegalTransition
from linking.models import LinkEvent, LinkRequest
from tests.conftest import PINNED_NOW
from tests.factories import UserFactory
from tests.linking.factories import LinkRequestFactory
from tests.services import need, postgres_in_use

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(n, work):
    """Run ``work()`` in ``n`` threads released at once; returns outcomes (result or error)."""
    barrier = threading.Barrier(n)
    outcomes = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait(timeout=10)
            result = work()
        except Exception as error:  # the outcome is what the test checks
            result = error
        finally:
            connection.close()  # each thread had its own connection
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("clerks", [2, 8])
def test_parallel_approvals_of_one_request_approve_once(clerks):
    need("PostgreSQL", postgres_in_use())
    request = LinkRequestFactory(pending_review=True)
    clerk = UserFactory(username="raceclerk")

    outcomes = _race(
        clerks,
        lambda: services.approve_link_request(
            request=LinkRequest(pk=request.pk), actor=clerk, now=PINNED_NOW
        ),
    )

    approved = [o for o in outcomes if isinstance(o, LinkRequest)]
    refused = [o for o in outcomes if isinstance(o, IllegalTransition)]
    assert (len(approved), len(refused)) == (1, clerks - 1), outcomes
    request.refresh_from_db()
    assert request.status == LinkRequest.Status.APPROVED
    assert LinkEvent.objects.filter(request=request).count() == 1
    assert OutboundEmail.objects.filter(template="linking/email/linked").count() == 1


def test_parallel_processing_runs_the_request_once():
    need("PostgreSQL", postgres_in_use())
    request = LinkRequestFactory()

    outcomes = _race(
        4, lambda: services.process_link_request(request_id=request.pk, now=PINNED_NOW)
    )

    assert sum(isinstance(o, LinkRequest) for o in outcomes) == 1, outcomes
    assert sum(o is None for o in outcomes) == 3
    request.refresh_from_db()
    assert request.status == LinkRequest.Status.PENDING_REVIEW
    assert LinkEvent.objects.filter(request=request).count() == 2
