"""The URL map: the ground's own pages (login, language, admin) and each app's URLconf.

The one module of ``crm`` that names the apps above it, and only by their URLconfs.
"""

from django.contrib import admin
from django.urls import include, path

from crm import views

urlpatterns = [
    path("", include("dashboard.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("customers/", include("customers.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("communications/", include("communications.urls")),
    path("products/", include("products.urls")),
    path("quotes/", include("quotes.urls")),
    path("orders/", include("orders.urls")),
    # The customers' links to their quotes (no login).
    path("q/", include("quotes.public_urls")),
    path("imports/", include("imports.urls")),
    path("approvals/", include("orders.approval_urls")),
    path("api/v1/", include("api.v1.urls")),
    path("profile/api-tokens/", include("api.urls")),
    path("profile/notifications/", include("notifications.urls")),
    # A quote sent to the customer by e-mail (the form and its state on the quote's page).
    path("mail/", include("emailing.urls")),
    path("admin/", admin.site.urls),
]
