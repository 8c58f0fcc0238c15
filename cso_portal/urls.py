"""Root URLconf. Each app owns its URLs; this file only mounts them."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from accounts import console
from accounts.views import entrance
from cso_portal.core import views as core_views

# The admin is the clerks' console: sign in through allauth (rate limits, MFA), not admin's own,
# and only with two-factor authentication set up (staff without it are sent to set it up).
admin.site.login = secure_admin_login(admin.site.login)
console.require_mfa(admin.site)
admin.site.site_header = "CSO Portal console (training simulation)"
admin.site.site_title = "CSO Portal console"

# The user-facing pages also answer under /es/… and /ht/… (Español, Kreyòl ayisyen); English
# stays unprefixed, so every existing URL keeps working. The language switcher posts to
# /i18n/setlang/, which sends the user to the same page under the chosen prefix.
urlpatterns = [
    *i18n_patterns(
        path("", include("cso_portal.core.urls")),
        # allauth's sign-up, reset and reset-link pages with the portal's timing and limits
        # (accounts/views/entrance.py); the rest of allauth's pages as they are.
        path("accounts/signup/", entrance.signup, name="account_signup"),
        path("accounts/password/reset/", entrance.password_reset, name="account_reset_password"),
        re_path(
            r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
            entrance.reset_password_from_key,
            name="account_reset_password_from_key",
        ),
        path("accounts/", include("allauth.urls")),
        path("courts/", include("courts.urls")),
        path("account/", include("accounts.urls")),
        # /account/link/…, /account/courts/ and /ecf/<court id>/…
        path("", include("linking.urls")),
        # /account/efile/…, /account/agents/… and /ecf/<court id>/{search,cases,file,…}/
        path("", include("filing.urls")),
        prefix_default_language=False,
    ),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path(settings.ADMIN_URL, admin.site.urls),
]

# The 500 page carries a correlation id that is also in the error's log line.
handler500 = "cso_portal.core.views.server_error"
