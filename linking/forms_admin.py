"""Forms of the clerks' console for linking: rejection reason, CM/ECF login add/change,
roster upload. Court choices are always limited to the courts the clerk manages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from courts.access import courts_managed_by
from courts.models import Court
from linking.models import CmecfAccount

# A roster file larger than this is not a court's filer list.
MAX_ROSTER_BYTES = 2 * 1024 * 1024


class RejectLinkRequestsForm(forms.Form):
    """Why the court rejects; emailed to each requester with what to do next."""

    reason = forms.CharField(
        label=_("Reason (sent to each requester)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "For example: “The bar number on your PACER account does not match our roster. "
            "Update it, or call the help desk.”"
        ),
    )


class CmecfAccountAddForm(forms.ModelForm):
    """A clerk issues one court login; the password is hashed by the service, never shown."""

    initial_password = forms.CharField(
        label=_("Court-issued password"),
        strip=False,
        min_length=8,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Stored as a hash only; give it to the filer by the court's usual channel."),
    )

    class Meta:
        model = CmecfAccount
        fields = ("court", "login", "holder_name", "email_of_record", "bar_id", "role")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        courts = courts_managed_by(user) if user is not None else Court.objects.none()
        self.fields["court"].queryset = courts.order_by("id")
        if courts.count() == 1:
            self.fields["court"].initial = courts.get().pk

    def clean(self):
        cleaned = super().clean()
        court, login = cleaned.get("court"), (cleaned.get("login") or "").strip()
        if court and login and court.cmecf_accounts.filter(login__iexact=login).exists():
            self.add_error("login", _("The court already has this login (in any letter case)."))
        return cleaned

    def _get_validation_exclusions(self):
        # The case-insensitive unique login is checked in clean() with a readable message,
        # not by the model constraint's generic one (the form field validates the login).
        return {*super()._get_validation_exclusions(), "login"}


class CmecfAccountChangeForm(forms.ModelForm):
    """Contact details and status of a login; an optional new password (never shown)."""

    new_password = forms.CharField(
        label=_("New court-issued password"),
        required=False,
        strip=False,
        min_length=8,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current one (which nobody can read)."),
    )

    class Meta:
        model = CmecfAccount
        fields = ("holder_name", "email_of_record", "bar_id", "role", "status")


class RosterUploadForm(forms.Form):
    """A court and its filer roster (CSV: login,password,holder_name,email_of_record,bar_id,
    role)."""

    court = forms.ModelChoiceField(queryset=None, label=_("Court"))
    file = forms.FileField(
        label=_("Roster (CSV)"),
        help_text=_(
            "A header row, then one filer a row: login, password, holder_name, "
            "email_of_record, bar_id, role (attorney, trustee, non_attorney, filing_agent, "
            "pro_se; blank is attorney). UTF-8."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        courts = courts_managed_by(user).order_by("id")
        self.fields["court"].queryset = courts
        if courts.count() == 1:
            self.fields["court"].initial = courts.get().pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Save the file as UTF-8 CSV and try again.")) from None
