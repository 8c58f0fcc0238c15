"""The PACER Service Center's console for accounts: registration review (release / reject
held registrations), the account's history, and the audit rows.

Actions call the registration services and report each account's result; the state fields
those services own (registration status) and the identity fields (account number, account
type) are read-only here.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.forms.registration import RejectRegistrationForm
from accounts.models import AccountEvent, PaaMembership, PaaMembershipEvent, PaaProfile, User
from accounts.services import profile, registration, security
from cso_portal import clock

# How much history the account page shows (the full list is under "Account events").
EVENTS_ON_ACCOUNT_PAGE = 20
IDENTITY_FIELD_LABELS = {
    "name": _("name"),
    "email": _("email"),
    "phone": _("phone"),
    "address": _("address"),
}


class RegistrationReviewFilter(admin.SimpleListFilter):
    """Registrations waiting for the PACER Service Center, and the decided ones."""

    title = _("registration review")
    parameter_name = "registration"

    def lookups(self, request, model_admin):
        return [
            ("held", _("On hold (to review)")),
            ("rejected", _("Rejected")),
            ("active", _("Active")),
        ]

    def queryset(self, request, queryset):
        status = {
            "held": User.RegistrationStatus.ON_HOLD,
            "rejected": User.RegistrationStatus.REJECTED,
            "active": User.RegistrationStatus.ACTIVE,
        }.get(self.value())
        if status is None:
            return queryset
        return queryset.filter(registration_status=status)


class LatestEventsFormSet(BaseInlineFormSet):
    """Only the newest events (an old account has thousands of sign-ins)."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset().select_related("actor")[:EVENTS_ON_ACCOUNT_PAGE]
        return self._latest


class AccountEventInline(admin.TabularInline):
    """The account's latest history, read-only (events are written by services only)."""

    model = AccountEvent
    fk_name = "user"
    formset = LatestEventsFormSet
    fields = ("created_at", "kind", "actor", "ip_address", "detail")
    readonly_fields = fields
    ordering = ("-created_at", "-pk")
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("latest account events (newest 20)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class PacerAccountAdmin(UserAdmin):
    list_display = (
        "username",
        "account_number",
        "email",
        "last_name",
        "account_type",
        "account_kind",
        "registration_status",
        "case_search_status",
        "is_shared",
        "is_staff",
    )
    list_filter = (
        RegistrationReviewFilter,
        "account_type",
        "account_kind",
        "case_search_status",
        "is_shared",
        "is_staff",
    )
    # The list shows no related objects; explicit so the console never joins by accident.
    list_select_related = ()
    search_fields = ("username", "account_number", "email", "first_name", "last_name", "phone")
    ordering = ("-date_joined",)
    readonly_fields = (
        "account_number",
        "account_type",
        "registered_on",
        "upgraded_at",
        "registration_status",
        # Changed only through services (actions, the holder's own pages), which audit and
        # notify: never by editing the row.
        "email",
        "case_search_status",
        "possible_duplicates",
        "last_login",
        "date_joined",
    )
    # Who may grant console powers: superusers only (a PSC member must not make themselves one).
    PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += self.PRIVILEGE_FIELDS
        return fields

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
        (
            _("Registration review"),
            {"fields": ("registration_status", "possible_duplicates")},
        ),
        (
            _("Contact details"),
            {
                "fields": (
                    "phone",
                    "address_line1",
                    "address_line2",
                    "city",
                    "region",
                    "postal_code",
                    "country",
                )
            },
        ),
        (_("Filer"), {"fields": ("bar_number", "bar_state", "filer_role")}),
    )
    inlines = (AccountEventInline,)
    actions = (
        "release_registrations",
        "reject_registrations",
        "activate_case_search",
        "deactivate_case_search",
        "unlock_accounts",
    )

    def has_add_permission(self, request):
        """Accounts are created by registration (or the demo and test commands), which give
        them their number, type and checks; the console has no "add" door."""
        return False

    @admin.display(description=_("possible duplicates"))
    def possible_duplicates(self, obj: User):
        """Existing accounts this one shares identity fields with (computed now)."""
        if obj.pk is None:
            return "—"
        matches = registration.find_duplicates(user=obj)
        if not matches:
            return _("None")
        accounts = User.objects.in_bulk([match.user_id for match in matches])
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> — {}</li>',
                (
                    (
                        reverse("admin:accounts_user_change", args=[match.user_id]),
                        accounts[match.user_id],
                        ", ".join(str(IDENTITY_FIELD_LABELS[field]) for field in match.fields),
                    )
                    for match in matches
                    if match.user_id in accounts
                ),
            ),
        )

    @admin.action(description=_("Release selected registrations"), permissions=["change"])
    def release_registrations(self, request, queryset):
        for user in queryset:
            try:
                registration.release_registration(user=user, actor=request.user, now=clock.now())
            except registration.RegistrationNotOnHold as refused:
                self._report_not_on_hold(request, refused)
            else:
                self.message_user(
                    request,
                    _("Released the registration of %(account)s; the registrant was emailed.")
                    % {"account": user},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Reject selected registrations"), permissions=["change"])
    def reject_registrations(self, request, queryset):
        """Asks for the reason first (it is emailed to each registrant)."""
        form = RejectRegistrationForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Reject registrations"),
                "opts": self.model._meta,
                "selected": list(queryset),
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "accounts/registration/admin_reject.html", context)
        for user in queryset:
            try:
                registration.reject_registration(
                    user=user,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    now=clock.now(),
                )
            except registration.RegistrationNotOnHold as refused:
                self._report_not_on_hold(request, refused)
            else:
                self.message_user(
                    request,
                    _("Rejected the registration of %(account)s; the registrant was emailed.")
                    % {"account": user},
                    messages.SUCCESS,
                )
        return None

    def _apply(self, request, queryset, service, refused_type, done_message) -> None:
        """Call one service per selected account and report each result."""
        for user in queryset:
            try:
                service(user=user, actor=request.user, now=clock.now())
            except refused_type as refused:
                self.message_user(
                    request,
                    _("Left %(account)s as it was: %(why)s") % {"account": user, "why": refused},
                    messages.WARNING,
                )
            else:
                self.message_user(request, done_message % {"account": user}, messages.SUCCESS)

    @admin.action(description=_("Activate case search"), permissions=["change"])
    def activate_case_search(self, request, queryset):
        self._apply(
            request,
            queryset,
            profile.activate_case_search,
            profile.CaseSearchStatusUnchanged,
            _("Activated case search for %(account)s."),
        )

    @admin.action(description=_("Deactivate case search"), permissions=["change"])
    def deactivate_case_search(self, request, queryset):
        self._apply(
            request,
            queryset,
            profile.deactivate_case_search,
            profile.CaseSearchStatusUnchanged,
            _("Deactivated case search for %(account)s."),
        )

    @admin.action(description=_("Unlock selected accounts"), permissions=["change"])
    def unlock_accounts(self, request, queryset):
        self._apply(
            request,
            queryset,
            security.unlock_account,
            security.AccountNotLocked,
            _("Unlocked %(account)s."),
        )

    def _report_not_on_hold(self, request, refused: registration.RegistrationNotOnHold) -> None:
        self.message_user(
            request,
            _("Left %(account)s as it was: its registration is not on hold (%(status)s).")
            % {
                "account": refused.user,
                "status": refused.user.get_registration_status_display(),
            },
            messages.WARNING,
        )


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    """Audit rows of every account, read-only."""

    list_display = ("created_at", "user", "kind", "actor", "ip_address")
    list_select_related = ("user", "actor")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__account_number", "user__email")
    date_hierarchy = "created_at"
    raw_id_fields = ("user", "actor")
    readonly_fields = ("user", "kind", "actor", "ip_address", "user_agent", "detail", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# PACER Administrative Accounts ------------------------------------------------------------------
# Read-only for the PACER Service Center (the "view" permissions of its group; court staff
# have none): every change goes through accounts.services.paa, by the PAA and its members.


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaaMembershipEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The membership's history (written by the services only)."""

    model = PaaMembershipEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    ordering = ("created_at", "pk")
    extra = 0
    max_num = 0
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(PaaProfile)
class PaaProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("firm_name", "account", "client_code_required", "created_at")
    list_select_related = ("account",)
    list_filter = ("client_code_required",)
    search_fields = ("firm_name", "account__username", "account__account_number")
    raw_id_fields = ("account",)
    readonly_fields = ("account", "firm_name", "client_code_required", "created_at")


@admin.register(PaaMembership)
class PaaMembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "member",
        "firm",
        "status",
        "cost_center",
        "requested_at",
        "started_at",
        "ended_at",
    )
    list_select_related = ("member", "paa__paa_profile", "cost_center")
    list_filter = ("status",)
    search_fields = (
        "member__username",
        "member__account_number",
        "member__last_name",
        "paa__account_number",
        "paa__paa_profile__firm_name",
    )
    date_hierarchy = "requested_at"
    raw_id_fields = ("paa", "member", "cost_center")
    readonly_fields = (
        "paa",
        "member",
        "status",
        "cost_center",
        "requested_at",
        "started_at",
        "ended_at",
        "remark",
    )
    inlines = (PaaMembershipEventInline,)

    @admin.display(description=_("PAA"), ordering="paa__paa_profile__firm_name")
    def firm(self, obj: PaaMembership) -> str:
        profile = getattr(obj.paa, "paa_profile", None)
        return f"{profile.firm_name if profile else obj.paa.username} ({obj.paa.account_number})"
