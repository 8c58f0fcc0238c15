"""Operational state: worker heartbeats and the demo mailbox."""

from __future__ import annotations

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

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class MailRecipient(models.Model):
    """One address a kept message went to (to, cc or bcc), lower-cased for look-up."""

    message = models.ForeignKey(MailMessage, on_delete=models.CASCADE, related_name="recipients")
    address = models.EmailField(max_length=320, db_index=True)

    def __str__(self) -> str:
        return self.address
