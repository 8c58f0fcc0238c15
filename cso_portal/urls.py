"""Root URLconf. Each app owns its URLs; this file only mounts them."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts import console
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
