"""Operational state: worker heartbeats and the demo mailbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One round trip web/beat → broker → worker → database, proving the pipeline works.

    The row is the source of truth (written before the task is queued); the worker claims it
    with a conditional UPDATE, so a redelivered task changes nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(help_text=_("When the heartbeat was requested."))
    enqueued_at = models.DateTimeField(help_text=_("When it was last handed to the broker."))
    completed_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True, help_text=_("Worker host that did it."))
    enqueue_count = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["status", "enqueued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", completed_at__isnull=True)
                | models.Q(status="done", completed_at__isnull=False),
                name="heartbeat_done_has_completed_at",
            )
        ]

    def __str__(self) -> str:
        return f"Heartbeat {self.pk} ({self.status})"


class MailMessage(models.Model):
    """An email kept by the embedded mail backend instead of being sent (demo mailbox)."""

    from_email = models.CharField(max_length=320)
    subject = models.CharField(max_length=998)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    sent_at = models.DateTimeField(db_index=True)
    # The Message-ID header (blank for mail not sent from the outbox): a repeated delivery of
    # one outbox row carries the same id and is kept once.
    message_id = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~models.Q(message_id=""),
                name="mailmessage_unique_message_id",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class MailRecipient(models.Model):
    """One address a kept message went to (to, cc or bcc), lower-cased for look-up."""

    message = models.ForeignKey(MailMessage, on_delete=models.CASCADE, related_name="recipients")
    address = models.EmailField(max_length=320, db_index=True)

    def __str__(self) -> str:
        return self.address


class ClockChange(models.Model):
    """The training clock: each row sets (or, with no date, clears) the simulated date.

    The newest row wins; the rows are the audit trail. Only honoured in demo mode.
    """

    simulated_date = models.DateField(
        null=True, blank=True, help_text=_("The date the portal pretends it is; empty = real date.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("training clock change")

    def __str__(self) -> str:
        return str(self.simulated_date or _("real date"))


class OutboundEmail(models.Model):
    """The email outbox: written in the same transaction as the change it reports, delivered
    by a Celery task that claims it, re-queued by a sweeper. ``dedupe_key`` makes a second
    queueing of the same notice a no-op. Bodies are rendered at delivery from ``template`` and
    ``context`` (ids and plain values), so no link or token is stored here."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (dead letter)")

    dedupe_key = models.CharField(max_length=200, unique=True)
    template = models.CharField(max_length=200)
    context = models.JSONField(default=dict)
    to = models.EmailField(max_length=320)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    enqueued_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The language the email is rendered in at delivery (the one active when it was queued);
    # blank for rows queued before languages were recorded: those render in LANGUAGE_CODE.
    language = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.to} ({self.status})"
