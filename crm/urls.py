from django.contrib import admin
from django.urls import include, path

from crm import views
from crm.dashboard import views as dashboard
from orders import approvals

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    # ?report=<name>&<period>: one report of the dashboard as CSV.
    path("dashboard/export/", dashboard.DashboardExportView.as_view(), name="dashboard_export"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.switch_language, name="set_language"),
    path("customers/", include("customers.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("communications/", include("communications.urls")),
    path("quotes/", include("quotes.urls")),
    path("orders/", include("orders.urls")),
    path("approvals/", approvals.ApprovalsView.as_view(), name="approvals"),
    # POST only: approve or reject one quote or order from the Approvals page.
    path(
        "approvals/<slug:kind>/<int:pk>/<slug:decision>/",
        approvals.DecisionView.as_view(),
        name="approval_decision",
    ),
    path("admin/", admin.site.urls),
]
