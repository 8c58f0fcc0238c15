"""Manage My Account (/account/…). Sign-up, sign-in, email, password, MFA and sessions are
allauth's (/accounts/…), themed and hooked through its seams."""

from django.urls import path

from accounts.views import billing, manage, mfa, paa, registration, upgrade

app_name = "accounts"

urlpatterns = [
    # Manage My Account: the Settings tab and the others.
    path("", manage.overview, name="manage"),
    path("profile/", manage.edit_profile, name="edit_profile"),
    path("maintenance/", manage.maintenance, name="maintenance"),
    path("payments/", manage.payments, name="payments"),
    path("usage/", manage.usage, name="usage"),
    path("history/", manage.history, name="history"),
    path("not-me/<str:token>/", manage.not_me, name="not_me"),
    # The legacy → upgraded wizard.
    path("upgrade/", upgrade.upgrade, name="upgrade"),
    # Registration by account kind (step 1; allauth's sign-up form is step 2).
    path("register/", registration.choose_kind, name="register"),
    # PACER Administrative Account (PAA): the administrator's pages.
    path("paa/", paa.home, name="paa"),
    path("paa/members/add/", paa.add_member, name="paa_add_member"),
    path("paa/members/remove/", paa.remove_members, name="paa_remove_members"),
    path("paa/members/<int:pk>/withdraw/", paa.withdraw, name="paa_withdraw"),
    path("paa/settings/", paa.settings_page, name="paa_settings"),
    path("paa/statement/", billing.paa_statement, name="paa_statement"),
    path("paa/statement.csv", billing.paa_statement_csv, name="paa_statement_csv"),
    path("paa/usage.csv", billing.paa_usage_csv, name="paa_usage_csv"),
    path("paa/payments/", billing.paa_payments, name="paa_payments"),
    # The member's side: requests to join, the current membership, leaving.
    path("paa-membership/", paa.membership, name="paa_membership"),
    path("paa-membership/<int:pk>/accept/", paa.accept, name="paa_accept"),
    path("paa-membership/<int:pk>/decline/", paa.decline, name="paa_decline"),
    path("paa-membership/<int:pk>/leave/", paa.leave, name="paa_leave"),
    # Two-factor enrolment prompt after sign-in (phased enforcement for filers).
    path("two-factor/", mfa.mfa_prompt, name="mfa_prompt"),
]
