from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404

from cso_portal import clock
from cso_portal.core import services
from cso_portal.core.models import (
    ClockChange,
    Heartbeat,
    MailMessage,
    MailRecipient,
    OutboundEmail,
)


class NotFoundAlike:
    """A court-scoped console page: another court's row answers 404, exactly like a missing
    one (instead of the admin's redirect to the index with a "doesn't exist" message), so a
    clerk walking ids learns nothing about other courts (PROOF scenario 11)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "requested_at", "completed_at", "worker", "enqueue_count")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Heartbeat._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MailRecipientInline(admin.TabularInline):
    model = MailRecipient
    extra = 0
    can_delete = False
    readonly_fields = ("address",)


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "from_email", "sent_at")
    search_fields = ("subject", "recipients__address")
    readonly_fields = ("from_email", "subject", "body", "html_body", "sent_at")
    inlines = [MailRecipientInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClockChange)
class ClockChangeAdmin(admin.ModelAdmin):
    """The training clock: adding a row sets the simulated date (through the service)."""

    list_display = ("changed_at", "simulated_date", "actor", "reason")
    fields = ("simulated_date", "reason")
    list_select_related = ("actor",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return settings.CSO_DEMO_MODE and super().has_add_permission(request)

    def save_model(self, request, obj, form, change):
        saved = services.set_simulated_date(
            day=form.cleaned_data["simulated_date"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            now=clock.real_now(),
        )
        obj.pk, obj.changed_at, obj.actor = saved.pk, saved.changed_at, saved.actor


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """The email outbox; dead letters (failed) can be retried."""

    list_display = ("created_at", "template", "to", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to", "dedupe_key")
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected failed emails")
    def retry(self, request, queryset):
        retried = sum(
            services.retry_failed_email(email_id=pk, now=clock.now())
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(request, f"{retried} email(s) queued again.", messages.SUCCESS)
