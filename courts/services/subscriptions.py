"""Email updates for a court page (seed 003): double opt-in, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from courts import tokens
from courts.models import Court, Subscription
from cso_portal.core import services as core_services

# A new confirmation email for the same address and court at most this often (no mail bombs).
CONFIRMATION_RESEND_AFTER = dt.timedelta(minutes=10)


@transaction.atomic
def subscribe(*, court: Court, email: str, now: dt.datetime) -> Subscription:
    """Ask for email updates about a court: sends a confirmation link (double opt-in).

    The same answer whatever the address's state, so the page reveals nothing; an already
    confirmed subscription stays as it is, and confirmations are not resent within minutes.
    """
    email = email.strip().lower()
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        court=court, email=email, defaults={"created_at": now}
    )
    if subscription.status == Subscription.Status.CONFIRMED:
        return subscription
    recently_sent = subscription.confirmation_sent_at and (
        abs(now - subscription.confirmation_sent_at) < CONFIRMATION_RESEND_AFTER
    )
    if recently_sent:
        return subscription
    subscription.status = Subscription.Status.PENDING
    subscription.confirmation_sent_at = now
    subscription.save(update_fields=["status", "confirmation_sent_at"])
    core_services.queue_email(
        dedupe_key=f"courts.subscribe-confirm:{subscription.pk}:{now.isoformat()}",
        to=email,
        template="courts/email/confirm_subscription",
        context={
            "subscription_id": subscription.pk,
            "court_id": court.id,
            "court_name": court.name,
        },
    )
    return subscription


def _subscription_for(subscription_id: int) -> Subscription:
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("court")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise tokens.BadToken
    return subscription


@transaction.atomic
def confirm_subscription(*, token: str, now: dt.datetime) -> Subscription:
    """Confirm a subscription from its latest emailed link. Confirming twice is fine; an old
    link (after unsubscribing, or superseded by a newer email) raises BadToken."""
    subscription_id, digest = tokens.read_confirm_token(token)
    subscription = _subscription_for(subscription_id)
    if not tokens.confirm_digest_matches(subscription, digest):
        raise tokens.BadToken
    if subscription.status == Subscription.Status.UNSUBSCRIBED:
        raise tokens.BadToken
    if subscription.status == Subscription.Status.PENDING:
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.save(update_fields=["status", "confirmed_at"])
    return subscription


@transaction.atomic
def unsubscribe(*, token: str, now: dt.datetime) -> Subscription:
    """Stop email updates from the link in any message (idempotent). Raises BadToken."""
    subscription_id, digest = tokens.read_unsubscribe_token(token)
    subscription = _subscription_for(subscription_id)
    if not tokens.unsubscribe_digest_matches(subscription, digest):
        raise tokens.BadToken
    if subscription.status != Subscription.Status.UNSUBSCRIBED:
        subscription.status = Subscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = now
        subscription.save(update_fields=["status", "unsubscribed_at"])
    return subscription
