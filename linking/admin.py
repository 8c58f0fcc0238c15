"""The clerks' console for linking: the link request queue (approve / reject through the
services, per-request results), a per-court dashboard, and the court's CM/ECF logins (add,
roster import).

Clerks see only their courts' rows, PACER Service Center staff all (``linking.access``);
each action re-fetches every request through ``get_link_request_for_clerk``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import DateTimeField, Value
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from accounts.services.events import client_ip
from cso_portal import clock
from cso_portal.core.admin import NotFoundAlike
from linking import access, admin_views, services
from linking.forms_admin import CmecfAccountAddForm, CmecfAccountChangeForm, RejectLinkRequestsForm
from linking.models import CmecfAccount, LinkEvent, LinkRequest

logger = logging.getLogger(__name__)

FLAG_LABELS = dict(LinkRequest.Flag.choices)
# Age buckets of the queue's filter: (code, label, at least, less than).
AGE_BUCKETS = (
    ("day", _("Less than a day"), dt.timedelta(0), dt.timedelta(days=1)),
    ("week", _("1–7 days"), dt.timedelta(days=1), dt.timedelta(days=7)),
    ("month", _("7–30 days"), dt.timedelta(days=7), dt.timedelta(days=30)),
    ("older", _("Over 30 days"), dt.timedelta(days=30), None),
)


class FlaggedFilter(admin.SimpleListFilter):
    title = _("flagged")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged")), ("no", _("Not flagged"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(flags=[])
        if self.value() == "no":
            return queryset.filter(flags=[])
        return queryset


class AgeFilter(admin.SimpleListFilter):
    """How long ago the request was submitted (training clock)."""

    title = _("submitted")
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [(code, label) for code, label, _low, _high in AGE_BUCKETS]

    def queryset(self, request, queryset):
        for code, _label, low, high in AGE_BUCKETS:
            if self.value() == code:
                now = clock.now()
                queryset = queryset.filter(submitted_at__lte=now - low)
                if high is not None:
                    queryset = queryset.filter(submitted_at__gt=now - high)
                return queryset
        return queryset


class ManagedCourtFilter(admin.SimpleListFilter):
    """The courts in the rows, for PACER Service Center staff (who see every court).

    Recognised by a PSC-only permission (assigning court staff), read from the user's
    already-loaded permissions: a clerk's list costs no query for a filter it doesn't need.
    """

    title = _("court")
    parameter_name = "court__id__exact"

    def lookups(self, request, model_admin):
        if not request.user.has_perm("courts.add_courtstaff"):
            return []
        court_ids = model_admin.get_queryset(request).order_by("court_id")
        return [
            (court_id, court_id)
            for court_id in court_ids.values_list("court_id", flat=True).distinct()
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(court_id=self.value())
        return queryset


def _once_per_request(request, key: str, make):
    """``make()``'s queryset, built once per request (the scope check behind it costs a
    query each time), cloned for each use."""
    cache = request.__dict__.setdefault("_linking_console", {})
    if key not in cache:
        cache[key] = make()
    return cache[key].all()


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LinkEventInline(ReadOnlyInline):
    """The request's history (written by the services only)."""

    model = LinkEvent
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    ordering = ("created_at", "pk")
    verbose_name_plural = _("history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


def _log_decision(request, pk, outcome: str) -> None:
    """Who decided which request, from where, and how it ended (the service logs the
    transition itself; the time is the log line's, in UTC)."""
    logger.info(
        "console decision: request=%s user=%s ip=%s outcome=%s",
        pk,
        request.user.pk,
        client_ip(request),
        outcome,
    )


@admin.register(LinkRequest)
class LinkRequestAdmin(admin.ModelAdmin):
    """The court's review queue. Nothing is edited here: decisions are the actions."""

    list_display = (
        "pk",
        "court_id_display",
        "pacer_account_display",
        "cmecf_login",
        "status",
        "flags_display",
        "submitted_age",
        "decided_at",
    )
    list_display_links = ("pk", "pacer_account_display")

    @admin.display(description=_("Court"), ordering="court_id")
    def court_id_display(self, obj) -> str:
        # The id, not the long name: the queue must fit a laptop screen.
        return obj.court_id

    list_select_related = ("court", "pacer_account", "cmecf_account")
    list_filter = ("status", FlaggedFilter, AgeFilter, ManagedCourtFilter)
    search_fields = (
        "pacer_account__first_name",
        "pacer_account__last_name",
        "pacer_account__username",
        "pacer_account__account_number",
        "cmecf_account__login",
        "cmecf_account__holder_name",
    )
    ordering = ("-submitted_at", "-pk")
    list_per_page = 100
    show_full_result_count = False
    raw_id_fields = ("pacer_account", "cmecf_account", "decided_by", "clerk_digest")
    fieldsets = (
        (None, {"fields": ("court", "status", "flags_display", "reason")}),
        (_("The two accounts"), {"fields": ("accounts_side_by_side",)}),
        (
            _("Dates"),
            {"fields": ("submitted_at", "verified_at", "expires_at", "decided_at", "decided_by")},
        ),
    )
    readonly_fields = (
        "court",
        "status",
        "flags_display",
        "reason",
        "accounts_side_by_side",
        "submitted_at",
        "verified_at",
        "expires_at",
        "decided_at",
        "decided_by",
    )
    inlines = (LinkEventInline,)
    actions = ("approve_requests", "reject_requests")
    change_list_template = "linking/admin/linkrequest_change_list.html"
    change_form_template = "linking/admin/linkrequest_change_form.html"

    def response_action(self, request, queryset):
        """Before running an action: a selected id this user may not see (another court's, or
        none at all) is left out by the admin without a word; log it with who and from where."""
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        wanted = [pk for pk in selected if pk.isdigit()]
        visible = {str(pk) for pk in queryset.filter(pk__in=wanted).values_list("pk", flat=True)}
        for pk in selected:
            if pk not in visible:
                logger.warning(
                    "console decision refused: request=%s not found for user=%s ip=%s",
                    pk[:20],
                    request.user.pk,
                    client_ip(request),
                )
        return super().response_action(request, queryset)

    def get_object(self, request, object_id, from_field=None):
        """The request, if this user may see it; a miss (another court's or no such id) is
        logged with who and from where, so walking ids shows in the log, and answers 404
        like ``NotFoundAlike``."""
        found = super().get_object(request, object_id, from_field)
        if found is None:
            logger.warning(
                "console: link request %s not found for user=%s ip=%s",
                object_id,
                request.user.pk,
                client_ip(request),
            )
            raise Http404
        return found

    def get_queryset(self, request):
        # "Now" once per page for the age column (not one clock read per row).
        return _once_per_request(
            request,
            "requests",
            lambda: access.link_requests_for_clerk(request.user).annotate(
                console_now=Value(clock.now(), output_field=DateTimeField())
            ),
        )

    def get_urls(self):
        dashboard = self.admin_site.admin_view(self.dashboard_view)
        return [
            path("dashboard/", dashboard, name="linking_linkrequest_dashboard"),
            *super().get_urls(),
        ]

    def dashboard_view(self, request):
        return admin_views.dashboard_view(self, request)

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

    @admin.display(description=_("PACER account"), ordering="pacer_account__last_name")
    def pacer_account_display(self, obj: LinkRequest):
        account = obj.pacer_account
        return f"{account.account_number} — {account.full_name}"

    @admin.display(description=_("CM/ECF login"), ordering="cmecf_account__login")
    def cmecf_login(self, obj: LinkRequest):
        return obj.cmecf_account.login

    @admin.display(description=_("flags"))
    def flags_display(self, obj: LinkRequest):
        if not obj.flags:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "⚑ {}",
            ((FLAG_LABELS.get(flag, flag),) for flag in obj.flags),
        )

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted_age(self, obj: LinkRequest):
        now = getattr(obj, "console_now", None) or clock.now()
        return _("%(age)s ago") % {"age": timesince(obj.submitted_at, now, depth=1)}

    @admin.display(description=_("CM/ECF account and PACER account"))
    def accounts_side_by_side(self, obj: LinkRequest):
        cmecf, pacer = obj.cmecf_account, obj.pacer_account
        rows = (
            (_("Name"), cmecf.holder_name, pacer.full_name),
            (_("Login / username"), cmecf.login, pacer.username),
            (_("Email"), cmecf.email_of_record, pacer.email),
            (_("Bar id / number"), cmecf.bar_id or "—", getattr(pacer, "bar_number", "") or "—"),
            (_("Role / kind"), cmecf.get_role_display(), pacer.get_account_kind_display()),
            (_("Court / account number"), obj.court.name, pacer.account_number),
            (
                _("Status"),
                cmecf.get_status_display(),
                pacer.get_registration_status_display(),
            ),
        )
        return format_html(
            '<table class="linking-side-by-side"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Detail"),
            _("CM/ECF account"),
            _("PACER account"),
            format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>", rows),
        )

    # Actions ------------------------------------------------------------------------------

    def _decide(self, request, queryset, decide, done_message) -> None:
        """Call ``decide(link_request)`` once per selected request, each re-fetched through
        the clerk's access helper, and report every result."""
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                link_request = access.get_link_request_for_clerk(request.user, pk)
            except Http404:
                logger.warning(
                    "console decision refused: request=%s not found for user=%s ip=%s",
                    pk,
                    request.user.pk,
                    client_ip(request),
                )
                self.message_user(
                    request,
                    _("Request #%(pk)s was not found.") % {"pk": pk},
                    messages.WARNING,
                )
                continue
            try:
                decided = decide(link_request)
            except services.IllegalTransition as refused:
                _log_decision(request, pk, f"refused: {refused.from_status}")
                self.message_user(
                    request,
                    _("Left request #%(pk)s as it was: it is %(status)s, not waiting for review.")
                    % {
                        "pk": pk,
                        "status": LinkRequest.Status(refused.from_status).label,
                    },
                    messages.WARNING,
                )
            except services.LinkRefused as refused:
                _log_decision(request, pk, "refused: link rules")
                self.message_user(
                    request,
                    _("Left request #%(pk)s as it was: %(why)s")
                    % {"pk": pk, "why": refused.reason},
                    messages.WARNING,
                )
            else:
                _log_decision(request, pk, f"done: {decided.status}")
                self.message_user(
                    request,
                    done_message % {"pk": pk, "login": link_request.cmecf_account.login},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Approve selected requests"), permissions=["change"])
    def approve_requests(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda link_request: services.approve_link_request(
                request=link_request, actor=request.user, now=clock.now()
            ),
            _("Approved request #%(pk)s: %(login)s is linked; the requester was emailed."),
        )

    @admin.action(description=_("Reject selected requests"), permissions=["change"])
    def reject_requests(self, request, queryset):
        """Asks for the reason first (it is emailed to each requester)."""
        form = RejectLinkRequestsForm(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Reject link requests"),
                "opts": self.model._meta,
                "selected": list(queryset),
                "form": form,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "linking/admin/reject.html", context)
        reason = form.cleaned_data["reason"]
        self._decide(
            request,
            queryset,
            lambda link_request: services.reject_link_request(
                request=link_request, actor=request.user, reason=reason, now=clock.now()
            ),
            _("Rejected request #%(pk)s (%(login)s); the requester was emailed the reason."),
        )
        return None


class LinkedFilter(admin.SimpleListFilter):
    title = _("linked")
    parameter_name = "linked"

    def lookups(self, request, model_admin):
        return [("yes", _("Linked")), ("no", _("Not linked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(linked_account__isnull=False)
        if self.value() == "no":
            return queryset.filter(linked_account__isnull=True)
        return queryset


@admin.register(CmecfAccount)
class CmecfAccountAdmin(NotFoundAlike, admin.ModelAdmin):
    """The court's CM/ECF logins. The password hash is never shown; linking fields are
    the services' (read-only here)."""

    list_display = (
        "login",
        "holder_name",
        "court",
        "role",
        "status",
        "email_of_record",
        "bar_id",
        "linked_account",
        "linked_at",
    )
    list_select_related = ("court", "linked_account")
    list_filter = ("status", "role", LinkedFilter, ManagedCourtFilter)
    search_fields = ("login", "holder_name", "email_of_record", "bar_id")
    ordering = ("court_id", "login")
    list_per_page = 100
    show_full_result_count = False
    raw_id_fields = ("linked_account",)
    readonly_fields = (
        "court",
        "login",
        "linked_account",
        "linked_at",
        "failed_attempts",
        "locked_until",
        "lock_count",
    )
    change_list_template = "linking/admin/cmecfaccount_change_list.html"

    def get_queryset(self, request):
        return _once_per_request(
            request, "accounts", lambda: access.cmecf_accounts_for_clerk(request.user)
        )

    def get_urls(self):
        roster_import = self.admin_site.admin_view(self.roster_import_view)
        return [
            path("import/", roster_import, name="linking_cmecfaccount_import"),
            *super().get_urls(),
        ]

    def roster_import_view(self, request):
        return admin_views.roster_import_view(self, request)

    def has_delete_permission(self, request, obj=None):
        return False  # logins are retired (status), never deleted: requests refer to them

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (
                    None,
                    {
                        "fields": (
                            "court",
                            "login",
                            "initial_password",
                            "holder_name",
                            "email_of_record",
                            "bar_id",
                            "role",
                        )
                    },
                ),
            )
        filing = ("role", "status") if obj.is_linked else ("role", "status", "new_password")
        return (
            (None, {"fields": ("court", "login", "holder_name", "email_of_record", "bar_id")}),
            (_("Filing"), {"fields": filing}),
            (_("Link"), {"fields": ("linked_account", "linked_at")}),
            (_("Link form lockout"), {"fields": ("failed_attempts", "locked_until", "lock_count")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.is_linked:  # retired by the link; only its contact details may change
            return (*self.readonly_fields, "role", "status")
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = CmecfAccountChangeForm if obj is not None else CmecfAccountAddForm
        kwargs["form"] = base
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form
        user = request.user

        class ScopedAddForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        return ScopedAddForm

    def save_model(self, request, obj, form, change):
        if change:
            new_password = form.cleaned_data.get("new_password")
            if new_password:
                obj.set_password(new_password)
            obj.save()
            return
        data = form.cleaned_data
        created = services.create_cmecf_account(
            court=data["court"],
            login=data["login"],
            password=data["initial_password"],
            holder_name=data["holder_name"],
            email_of_record=data["email_of_record"],
            bar_id=data.get("bar_id", ""),
            role=data["role"],
            actor=request.user,
            now=clock.now(),
        )
        obj.pk = created.pk
        obj.password = created.password
