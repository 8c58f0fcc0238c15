"""Filing pages: e-file registration and filing agents in Manage My Account (/account/…),
and each court's ECF filing, search, docket and document pages (/ecf/<court id>/…).
Mounted at the root by cso_portal/urls.py."""

from django.urls import path

from filing.views import agents, ecf, readiness, registration

app_name = "filing"

urlpatterns = [
    # Manage My Account → Maintenance: Attorney / Non-Attorney Admissions / E-File Registration.
    path("account/efile/", registration.index, name="registrations"),
    path("account/efile/new/<slug:audience>/", registration.choose_court, name="register"),
    path(
        "account/efile/new/<slug:audience>/<slug:court_id>/",
        registration.registration_form,
        name="register_in_court",
    ),
    path("account/efile/<int:pk>/", registration.detail, name="registration"),
    path("account/efile/<int:pk>/cancel/", registration.cancel, name="registration_cancel"),
    # Filing agents (seed 003): the attorney's side.
    path("account/agents/", agents.index, name="agents"),
    path("account/agents/<int:pk>/", agents.detail, name="agent"),
    path("account/agents/<int:pk>/remove/", agents.remove, name="agent_remove"),
    path("account/agents/<int:pk>/log/", agents.transaction_log, name="agent_log"),
    # Firm readiness (beyond PACER): the PAA administrator sees each member's NextGen steps.
    path("account/paa/readiness/", readiness.paa_readiness, name="paa_readiness"),
    # The personal readiness checker and the printable NextGen preparation sheet (seed 004).
    path("account/readiness/", readiness.my_readiness, name="my_readiness"),
    path(
        "account/readiness/<slug:court_id>/",
        readiness.my_court_readiness,
        name="my_court_readiness",
    ),
    path(
        "account/readiness/<slug:court_id>/sheet/",
        readiness.preparation_sheet,
        name="preparation_sheet",
    ),
    # The NEF free look (works signed out; the link is the credential).
    path("ecf/free-look/<str:token>/", ecf.free_look, name="free_look"),
    # Each court's ECF site: CurrentGen registration by the court itself (seed 002).
    path("ecf/<slug:court_id>/register/", registration.court_site_register, name="court_register"),
    # Each court's ECF site: the agent's Change User, NEF addresses.
    path("ecf/<slug:court_id>/change-user/", agents.change_user, name="change_user"),
    path("ecf/<slug:court_id>/nef-addresses/", ecf.nef_addresses, name="nef_addresses"),
    # Query: case search, docket report, documents (billable).
    path("ecf/<slug:court_id>/search/", ecf.search, name="search"),
    path("ecf/<slug:court_id>/cases/<int:pk>/", ecf.docket, name="docket"),
    path("ecf/<slug:court_id>/cases/<int:pk>/doc/<int:number>/", ecf.document, name="document"),
    # Filing: into an open case, or a new case.
    path("ecf/<slug:court_id>/cases/<int:pk>/file/", ecf.file_in_case, name="file"),
    path("ecf/<slug:court_id>/file/new-case/", ecf.open_case, name="open_case"),
]
