"""What the filing-agent tests share: pages, messages, and filing as an agent."""

from __future__ import annotations

import re
from html import unescape

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cso_portal import clock
from filing.services import efiling
from filing.views.common import acting_for
from tests.filing.factories import pdf_bytes

AGENTS = "/account/agents/"
CHANGE_USER = "/ecf/flsb/change-user/"
GENERIC = "No filing agent with that PACER username is registered in"
TEST_CARD = efiling.Card(number="4242 4242 4242 4242", expiry_month=12, expiry_year=2030)


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def errors(response) -> list[str]:
    form = response.context["form"]
    return [error for field_errors in form.errors.values() for error in field_errors]


def designate(client, username="agent9", court="flsb", **extra):
    return client.post(AGENTS, {"court": court, "agent_username": username, **extra})


def filing_as(agent_client, agent, court):
    """Whom the agent's session files for in ``court`` (what the ECF filing page reads)."""
    request = RequestFactory().get("/")
    request.session = agent_client.session
    request.user = agent
    return acting_for(request, court)


CARD_POST = {
    "card_number": "4242 4242 4242 4242",
    "card_expiry_month": "12",
    "card_expiry_year": "2030",
}


def file_on_page(client, case, *, event="motion", **extra):
    """File a 2-page PDF through the court's ECF filing page, as the signed-in client."""
    document = SimpleUploadedFile("motion.pdf", pdf_bytes(2), content_type="application/pdf")
    return client.post(
        f"/ecf/{case.court_id}/cases/{case.pk}/file/?event={event}",
        {"text": "", "document": document, **extra},
    )


def file_motion(agent, court, case, *, for_whom, event="motion", card=None):
    return efiling.file_document(
        user=agent,
        court=court,
        case=case,
        event_code=event,
        upload=efiling.Upload("motion.pdf", pdf_bytes(2)),
        card=card,
        acting_for=for_whom,
        now=clock.now(),
    )
