"""Forms of the PACER Administrative Account (PAA) pages: adding and removing members, and
the PAA's settings (mandatory client codes, cost centers). They only collect and check what
was typed; ``accounts.services.paa`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

NOT_A_MEMBER = _("One of the accounts you chose is not a member any more. Check the list again.")


class AddMemberForm(forms.Form):
    """The administrator names an individual account by its holder's last name and its
    account number (both, so that a mistyped number reaches nobody)."""

    last_name = forms.CharField(
        label=_("The account holder's last name"),
        max_length=150,
        error_messages={"required": _("Give the account holder's last name.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    account_number = forms.CharField(
        label=_("Their PACER account number"),
        max_length=16,
        help_text=_("7 digits: the holder finds it on Manage My Account."),
        error_messages={"required": _("Give the account number.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class MembershipsField(forms.ModelMultipleChoiceField):
    """Checkboxes of a PAA's memberships (the view passes a queryset scoped to the PAA)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Choose at least one account."),
                "invalid_choice": NOT_A_MEMBER,
                "invalid_pk_value": NOT_A_MEMBER,
            },
        )
        super().__init__(queryset=None, **kwargs)


class RemoveMembersForm(forms.Form):
    """PAA Maintenance → "Remove PACER Account(s) from My PAA": one or more active members
    and the remark emailed to each holder."""

    memberships = MembershipsField(label=_("Accounts to remove"))
    remark = forms.CharField(
        label=_("Remark"),
        max_length=500,
        help_text=_("Why they leave the PAA. It is emailed to each account holder."),
        error_messages={"required": _("Give a remark: it is emailed to each account holder.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, memberships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["memberships"].queryset = memberships

    def clean_remark(self) -> str:
        remark = " ".join(self.cleaned_data["remark"].split())
        if not remark:
            raise forms.ValidationError(self.fields["remark"].error_messages["required"])
        return remark


class ClientCodeForm(forms.Form):
    """Make client codes mandatory for the members' billable views."""

    client_code_required = forms.BooleanField(
        label=_("Members must give a client code for every billable view"),
        required=False,
        help_text=_(
            "A client code (up to 32 characters) tells the bill which client a view was "
            "for; the statement groups the charges by it."
        ),
    )


class CostCenterForm(forms.Form):
    """A new cost center (an office, a practice group) to group members on the bill."""

    name = forms.CharField(
        label=_("Cost center name"),
        max_length=100,
        error_messages={"required": _("Give the cost center a name.")},
    )


class AssignCostCenterForm(forms.Form):
    """Put some active members in one cost center (or in none)."""

    cost_center = forms.ModelChoiceField(
        label=_("Cost center"),
        queryset=None,
        required=False,
        empty_label=_("No cost center"),
        error_messages={"invalid_choice": _("Choose one of the PAA's cost centers.")},
    )
    memberships = MembershipsField(label=_("Members"))

    def __init__(self, *args, cost_centers, memberships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cost_center"].queryset = cost_centers
        self.fields["memberships"].queryset = memberships
