"""The Approvals page for quotes and orders; names without a namespace (``approvals``)."""

from django.urls import path

from orders import approvals

urlpatterns = [
    path("", approvals.ApprovalsView.as_view(), name="approvals"),
    # POST only: approve or reject one quote or order from the Approvals page.
    path(
        "<slug:kind>/<int:pk>/<slug:decision>/",
        approvals.DecisionView.as_view(),
        name="approval_decision",
    ),
]
