from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class PacerAccountAdmin(UserAdmin):
    list_display = (
        "username",
        "account_number",
        "email",
        "last_name",
        "account_type",
        "account_kind",
        "case_search_status",
        "is_shared",
        "is_staff",
    )
    list_filter = ("account_type", "account_kind", "case_search_status", "is_shared", "is_staff")
    search_fields = ("username", "account_number", "email", "first_name", "last_name")
    readonly_fields = (
        "account_number",
        "registered_on",
        "upgraded_at",
        "last_login",
        "date_joined",
    )
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            _("PACER account"),
            {
                "fields": (
                    "account_number",
                    "account_type",
                    "registered_on",
                    "upgraded_at",
                    "account_kind",
                    "case_search_status",
                    "is_shared",
                )
            },
        ),
    )
