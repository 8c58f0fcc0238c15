"""The clerks' console for filing: the court's e-file registration queue (approve / reject
through the services, per-request results) and the filing rights held in the court.

Court-scoped like linking's console (and sharing its pieces): clerks see only their courts'
rows, PACER Service Center staff all (``filing.access``); each action re-fetches every
request through ``get_registration_for_clerk``.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import DateTimeField, Value
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from cso_portal import clock
from cso_portal.core.admin import NotFoundAlike
from filing import access, admin_views
from filing.errors import FilingError, IllegalTransition
from filing.forms.registration import RejectRegistrationsForm
from filing.models import EfileRegistration, EfileRegistrationEvent, FilingRight
from filing.services import registration as services
from linking.admin import AgeFilter, ManagedCourtFilter, ReadOnlyInline, _once_per_request


def _requester(account) -> str:
    return f"{account.account_number} — {account.full_name or account.username}"


class LocalFormFilter(admin.SimpleListFilter):
    """Requests that carry a court's local form (seed 004: flsb's LF-95) or not."""

    title = _("local form")
    parameter_name = "local_form"

    def lookups(self, request, model_admin):
        return [("yes", _("With a local form")), ("no", _("No local form"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(local_form="")
        if self.value() == "no":
            return queryset.filter(local_form="")
        return queryset


class EfileRegistrationEventInline(ReadOnlyInline):
    """The request's history (written by the services only)."""

    model = EfileRegistrationEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    ordering = ("created_at", "pk")
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(EfileRegistration)
class EfileRegistrationAdmin(NotFoundAlike, admin.ModelAdmin):
    """The court's e-file registration queue. Nothing is edited here: decisions are the
    actions (Approve selected / Reject selected, with a reason)."""

    list_display = (
        "pk",
        "court_id_display",
        "requester",
        "type_display",
        "local_form_display",
        "status",
        "submitted_age",
    )
    list_display_links = ("pk", "requester")

    @admin.display(description=_("Registration type"), ordering="registration_type")
    def type_display(self, obj: EfileRegistration) -> str:
        # The pro hac vice case in the same cell: the queue must fit a laptop screen.
        label = obj.get_registration_type_display()
        return f"{label}: {obj.case_number}" if obj.case_number else label

    list_select_related = ("court", "pacer_account")
    list_filter = (
        "status",
        "registration_type",
        "channel",
        LocalFormFilter,
        AgeFilter,
        ManagedCourtFilter,
    )
    search_fields = (
        "pacer_account__first_name",
        "pacer_account__last_name",
        "pacer_account__username",
        "pacer_account__account_number",
        "bar_number",
        "case_number",
        "firm_name",
        "requested_login",
    )
    ordering = ("-submitted_at", "-pk")
    list_per_page = 100
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("court", "status", "registration_type", "channel", "reason")}),
        (
            _("Requester"),
            {"fields": ("requester", "requester_email", "bar", "firm_name", "phone", "notes")},
        ),
        (
            _("What the court asked for"),
            {"fields": ("case_number", "local_form_display", "requested_login")},
        ),
        (
            _("Dates"),
            {
                "fields": (
                    "terms_accepted_at",
                    "submitted_at",
                    "decided_at",
                    "decided_by",
                    "issued_login",
                )
            },
        ),
    )
    readonly_fields = (
        "court",
        "status",
        "registration_type",
        "channel",
        "reason",
        "requester",
        "requester_email",
        "bar",
        "firm_name",
        "phone",
        "notes",
        "case_number",
        "local_form_display",
        "requested_login",
        "terms_accepted_at",
        "submitted_at",
        "decided_at",
        "decided_by",
        "issued_login",
    )
    inlines = (EfileRegistrationEventInline,)
    actions = ("approve_registrations", "reject_registrations")
    change_form_template = "filing/admin/efileregistration_change_form.html"
    change_list_template = "filing/admin/efileregistration_change_list.html"

    def get_urls(self):
        statistics = self.admin_site.admin_view(self.statistics_view)
        statistics_csv = self.admin_site.admin_view(self.statistics_csv_view)
        return [
            path("statistics/", statistics, name="filing_efileregistration_statistics"),
            path("statistics.csv", statistics_csv, name="filing_efileregistration_statistics_csv"),
            *super().get_urls(),
        ]

    def statistics_view(self, request):
        return admin_views.statistics_view(self, request)

    def statistics_csv_view(self, request):
        return admin_views.statistics_csv_view(self, request)

    def get_queryset(self, request):
        # "Now" once per page for the age column (not one clock read per row).
        return _once_per_request(
            request,
            "efile_registrations",
            lambda: (
                access.registrations_for_clerk(request.user)
                .select_related("decided_by", "issued_cmecf_account")
                .annotate(console_now=Value(clock.now(), output_field=DateTimeField()))
            ),
        )

    # The change page is the read-only view page; the change permission opens the actions.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return False
        return super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_decide": super().has_change_permission(request),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # Columns ------------------------------------------------------------------------------

    @admin.display(description=_("Court"), ordering="court_id")
    def court_id_display(self, obj: EfileRegistration) -> str:
        return obj.court_id

    @admin.display(description=_("Requester"), ordering="pacer_account__last_name")
    def requester(self, obj: EfileRegistration) -> str:
        return _requester(obj.pacer_account)

    @admin.display(description=_("Email"))
    def requester_email(self, obj: EfileRegistration) -> str:
        return obj.pacer_account.email

    @admin.display(description=_("Bar number (state)"))
    def bar(self, obj: EfileRegistration) -> str:
        if not obj.bar_number:
            return "—"
        return f"{obj.bar_number} ({obj.bar_state})" if obj.bar_state else obj.bar_number

    @admin.display(description=_("Local form"), ordering="local_form")
    def local_form_display(self, obj: EfileRegistration):
        """ "LF-95 ✓ 2026-11-10 (ref.)" — the form the court required, when it was completed."""
        if not obj.local_form:
            return "—"
        if obj.local_form_completed_on is None:
            return format_html("{} ✗", obj.local_form)
        reference = f" ({obj.local_form_reference})" if obj.local_form_reference else ""
        return format_html(
            "{} ✓ {}{}", obj.local_form, obj.local_form_completed_on.isoformat(), reference
        )

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_age(self, obj: EfileRegistration) -> str:
        now = getattr(obj, "console_now", None) or clock.now()
        return _("%(age)s ago") % {"age": timesince(obj.submitted_at, now, depth=1)}

    @admin.display(description=_("CM/ECF login issued"))
    def issued_login(self, obj: EfileRegistration) -> str:
        account = obj.issued_cmecf_account
        return account.login if account is not None else "—"

    # Actions ------------------------------------------------------------------------------

    def _decide(self, request, queryset, decide) -> None:
        """Call ``decide(registration)`` once per selected request, each re-fetched through
        the clerk's access helper; ``decide`` returns the success message. Every result is
        reported."""
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                registration = access.get_registration_for_clerk(request.user, pk)
            except Http404:
                self.message_user(
                    request, _("Request #%(pk)s was not found.") % {"pk": pk}, messages.WARNING
                )
                continue
            try:
                done = decide(registration)
            except IllegalTransition as refused:
                self.message_user(
                    request,
                    _("Left request #%(pk)s as it was: it is %(status)s, not waiting for review.")
                    % {"pk": pk, "status": EfileRegistration.Status(refused.from_status).label},
                    messages.WARNING,
                )
            except FilingError as refused:
                self.message_user(
                    request,
                    _("Left request #%(pk)s as it was: %(why)s") % {"pk": pk, "why": refused},
                    messages.WARNING,
                )
            else:
                self.message_user(request, done, messages.SUCCESS)

    @admin.action(description=_("Approve selected requests"), permissions=["change"])
    def approve_registrations(self, request, queryset):
        def approve(registration: EfileRegistration) -> str:
            approved = services.approve_efile_registration(
                registration=registration, actor=request.user, now=clock.now()
            )
            names = {
                "pk": approved.pk,
                "name": _requester(approved.pacer_account),
                "court": approved.court_id,
            }
            if approved.issued_cmecf_account_id:
                names["login"] = approved.issued_cmecf_account.login
                return (
                    _(
                        "Approved request #%(pk)s: issued the CM/ECF login %(login)s to %(name)s "
                        "in %(court)s; they were emailed a link to set its password."
                    )
                    % names
                )
            if approved.case_number:
                names["case"] = approved.case_number
                return (
                    _(
                        "Approved request #%(pk)s: %(name)s may file in case %(case)s in "
                        "%(court)s (pro hac vice); the requester was emailed."
                    )
                    % names
                )
            return (
                _(
                    "Approved request #%(pk)s: %(name)s may file in %(court)s; the requester "
                    "was emailed."
                )
                % names
            )

        self._decide(request, queryset, approve)

    @admin.action(description=_("Reject selected requests"), permissions=["change"])
    def reject_registrations(self, request, queryset):
        """Asks for the reason first (it is emailed to each requester)."""
        form = RejectRegistrationsForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Reject e-file registration requests"),
                "opts": self.model._meta,
                "selected": list(queryset),
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "filing/admin/reject.html", context)
        reason = form.cleaned_data["reason"]

        def reject(registration: EfileRegistration) -> str:
            services.reject_efile_registration(
                registration=registration, actor=request.user, reason=reason, now=clock.now()
            )
            return _(
                "Rejected request #%(pk)s (%(name)s); the requester was emailed the reason."
            ) % {"pk": registration.pk, "name": _requester(registration.pacer_account)}

        self._decide(request, queryset, reject)
        return None


class ActiveRightFilter(admin.SimpleListFilter):
    title = _("active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active")), ("no", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(FilingRight)
class FilingRightAdmin(NotFoundAlike, admin.ModelAdmin):
    """Who may file in the court, in which role, since when and how obtained (read-only:
    rights change only through links and registrations)."""

    list_display = (
        "holder_display",
        "court_id_display",
        "role",
        "case_display",
        "source",
        "since",
        "revoked_at",
    )
    list_select_related = ("court", "holder", "case")
    list_filter = ("role", "source", ActiveRightFilter, ManagedCourtFilter)
    search_fields = (
        "holder__first_name",
        "holder__last_name",
        "holder__username",
        "holder__account_number",
        "case__number",
    )
    ordering = ("court_id", "-since", "-pk")
    list_per_page = 100
    show_full_result_count = False
    fields = (
        "holder_display",
        "court",
        "role",
        "case_display",
        "source",
        "link_request",
        "registration",
        "since",
        "revoked_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return _once_per_request(
            request, "filing_rights", lambda: access.rights_for_clerk(request.user)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Holder"), ordering="holder__last_name")
    def holder_display(self, obj: FilingRight) -> str:
        return _requester(obj.holder)

    @admin.display(description=_("Court"), ordering="court_id")
    def court_id_display(self, obj: FilingRight) -> str:
        return obj.court_id

    @admin.display(description=_("Case"), ordering="case__number")
    def case_display(self, obj: FilingRight) -> str:
        if obj.case is None:
            return str(_("All cases"))
        return _("%(case)s only (pro hac vice)") % {"case": obj.case.number}


from filing import admin_training  # noqa: E402, F401  (the training clock and scenarios pages)
