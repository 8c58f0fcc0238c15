from django.contrib import admin

from cso_portal.core.models import Heartbeat, MailMessage, MailRecipient


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
