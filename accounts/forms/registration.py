"""Step 1 of registration (the account kind) and the console's rejection reason."""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services.registration import SIGNUP_KINDS

# What each kind is for, shown under its name on step 1.
KIND_DESCRIPTIONS = {
    User.AccountKind.CASE_SEARCH: _(
        "Search for and view court records through PACER. No filing. A firm's shared "
        "research login is this kind: it may search, but can never link a CM/ECF account "
        "or e-file."
    ),
    User.AccountKind.ATTORNEY_FILER: _(
        "For attorneys who file in federal courts. You give your bar number and bar state; "
        "each court then decides on your e-filing access. You can also search."
    ),
    User.AccountKind.NON_ATTORNEY_FILER: _(
        "For filers who are not attorneys: filing agents, pro se parties, creditors, "
        "trustees, the U.S. Trustee, court reporters and interested parties. You can also "
        "search."
    ),
    User.AccountKind.PAA: _(
        "For a firm's administrator: one bill for the firm's individual accounts; no case "
        "access, no filing."
    ),
}


def kind_choices() -> list[tuple[str, str]]:
    return [(kind, User.AccountKind(kind).label) for kind in SIGNUP_KINDS]


class AccountKindForm(forms.Form):
    """Which kind of PACER account to register (the sign-up form is step 2)."""

    kind = forms.ChoiceField(
        label=_("What kind of account do you need?"),
        choices=kind_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of account you need."),
            "invalid_choice": _("Choose one of the kinds of account listed."),
        },
    )

    def options(self) -> list[tuple[BoundWidget, str]]:
        """Each radio button with the description shown under its label."""
        return [(option, KIND_DESCRIPTIONS[option.data["value"]]) for option in self["kind"]]


class RejectRegistrationForm(forms.Form):
    """The reason the PACER Service Center gives when rejecting held registrations; it is
    emailed to each registrant."""

    reason = forms.CharField(
        label=_("Reason (sent to each registrant)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=_(
            "For example: “You already have PACER account 1234567. Sign in with it, or "
            "contact the PACER Service Center to recover it.”"
        ),
    )
