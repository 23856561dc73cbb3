"""The home page and its reports' CSV; names without a namespace (``dashboard`` is "/")."""

from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    # ?report=<name>&<period>: one report of the dashboard as CSV.
    path("dashboard/export/", views.DashboardExportView.as_view(), name="dashboard_export"),
]
