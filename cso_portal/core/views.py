"""Base pages: home, health, and the demo mailbox."""

from __future__ import annotations

import logging
import sys
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.views import i18n
from django.views.decorators.cache import never_cache

from cso_portal import celery_app, clock
from cso_portal.core import access, services

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


# The broker check opens a new connection to the broker: most of /healthz's cost when a load
# balancer polls it often (bench P1). One check per process every few seconds answers as well.
BROKER_CHECK_EVERY_SECONDS = 5.0
_broker_state: dict[str, float | bool] = {"ok": False, "at": float("-inf")}


def _broker_ok() -> bool:
    now = time.monotonic()
    if now - float(_broker_state["at"]) < BROKER_CHECK_EVERY_SECONDS:
        return bool(_broker_state["ok"])
    _broker_state.update(ok=_check_broker(), at=now)
    return bool(_broker_state["ok"])


def forget_broker_check() -> None:
    """Check the broker again at the next /healthz (tests; a deploy script may too)."""
    _broker_state.update(ok=False, at=float("-inf"))


def _check_broker() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        return True
    except Exception:
        logger.warning("healthz: broker check failed", exc_info=True)
        return False


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Report database, broker and worker state; 503 when the web tier cannot serve."""
    database = _database_ok()
    broker = _broker_ok()
    worker: dict[str, object] = {"status": "unknown", "last_heartbeat_age_seconds": None}
    if database:
        heartbeat = services.last_heartbeat()
        if heartbeat is not None:
            age = (clock.real_now() - heartbeat.completed_at).total_seconds()
            fresh = age <= settings.CSO_HEARTBEAT_STALE_AFTER
            worker = {"status": "ok" if fresh else "stale", "last_heartbeat_age_seconds": int(age)}
    healthy = database and broker
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": "ok" if database else "down",
        "broker": "ok" if broker else "down",
        "worker": worker,
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _mailbox_enabled() -> bool:
    return settings.DEBUG or settings.CSO_DEMO_MODE


@login_required
def mailbox(request: HttpRequest) -> HttpResponse:
    """The demo mailbox: messages sent to the signed-in user (superusers: all messages)."""
    if not _mailbox_enabled():
        raise Http404
    messages = access.mail_visible_to(request.user).prefetch_related("recipients")
    page = Paginator(messages, 25).get_page(request.GET.get("page"))
    return render(request, "core/mailbox.html", {"page": page})


@login_required
def mailbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    if not _mailbox_enabled():
        raise Http404
    message = access.get_mail_for_user(request.user, pk)
    return render(request, "core/mailbox_message.html", {"message": message})


def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's ``set_language``, which sends the user to the same page
    in the chosen language (/courts/ → /es/courts/). Django resolves ``next`` in the language
    active for this unprefixed URL (English), so /es/courts/ → English would stay on the
    Spanish page; resolving it in the language of its own prefix fixes that."""
    next_url = request.POST.get("next", request.GET.get("next")) or ""
    current = translation.get_language_from_path(urlsplit(next_url).path)
    if request.method == "POST" and request.user.is_authenticated:
        # Signed in: the choice is also the language of this account's emails.
        from accounts.services.profile import set_preferred_language

        set_preferred_language(user=request.user, language=request.POST.get("language", ""))
    if not current:
        return i18n.set_language(request)
    with translation.override(current):
        return i18n.set_language(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (``handler500``): no internals, and a correlation id that the log line
    with the traceback carries too, so the help desk can find what happened. Rendered
    without the request context, like Django's own: the failure may be in what that needs."""
    correlation_id = uuid.uuid4().hex[:12]
    logger.error(
        "unexpected error correlation_id=%s method=%s path=%s",
        correlation_id,
        request.method,
        request.path,
        exc_info=sys.exc_info(),
    )
    body = loader.get_template("500.html").render({"correlation_id": correlation_id})
    response = HttpResponseServerError(body)
    response["X-Correlation-ID"] = correlation_id
    return response
