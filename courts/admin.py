"""The clerks' console for courts: scoped to the courts the user manages; every change goes
through ``courts.services``."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from courts import access, services
from courts.models import Court, CourtStaff, GoLiveChange, Subscription
from cso_portal import clock
from cso_portal.core.admin import NotFoundAlike


class GoLiveChangeInline(admin.TabularInline):
    model = GoLiveChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "old_date", "new_date", "actor", "reason", "source")
    readonly_fields = fields
    ordering = ("changed_at", "pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Court)
class CourtAdmin(NotFoundAlike, admin.ModelAdmin):
    list_display = (
        "id",
        "name",
        "court_type",
        "circuit",
        "nextgen_date",
        "nextgen_date_confirmed",
        "schedule_link",
    )
    list_filter = ("court_type", "circuit", "nextgen_date_confirmed")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ("id", "feed_code", "name", "official_name")
    inlines = [GoLiveChangeInline]

    def get_queryset(self, request):
        return access.courts_managed_by(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # View only: the schedule changes through courts:change_schedule (a service call).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Go-live date"))
    def schedule_link(self, obj: Court):
        url = reverse("courts:change_schedule", args=[obj.id])
        return format_html('<a href="{}">{}</a>', url, _("Change go-live date"))


@admin.register(CourtStaff)
class CourtStaffAdmin(NotFoundAlike, admin.ModelAdmin):
    """PACER Service Center staff assign clerks to courts."""

    list_display = ("user", "court", "role", "since")
    list_filter = ("role",)
    list_select_related = ("user", "court")
    search_fields = ("user__username", "user__email", "court__id", "court__name")
    raw_id_fields = ("user", "court")
    fields = ("court", "user", "role")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(court__in=access.courts_managed_by(request.user))
        )

    def has_add_permission(self, request):
        return access.is_psc_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return access.is_psc_staff(request.user)

    def save_model(self, request, obj, form, change):
        saved = services.add_court_staff(
            court=obj.court, user=obj.user, role=obj.role, now=clock.now()
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.remove_court_staff(court=obj.court, user=obj.user)

    def delete_queryset(self, request, queryset):
        for staff in queryset.select_related("court", "user"):
            services.remove_court_staff(court=staff.court, user=staff.user)


@admin.register(Subscription)
class SubscriptionAdmin(NotFoundAlike, admin.ModelAdmin):
    list_display = ("email", "court", "status", "created_at", "confirmed_at")
    list_filter = ("status",)
    list_select_related = ("court",)
    search_fields = ("email", "court__id")
    readonly_fields = [f.name for f in Subscription._meta.fields]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(court__in=access.courts_managed_by(request.user))
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
