from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="list"),
    path("export/", views.OrderExportView.as_view(), name="export"),
    # POST only, from the quote's page.
    path("new/<int:quote_pk>/", views.OrderCreateView.as_view(), name="create"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrderUpdateView.as_view(), name="update"),
    path("<int:pk>/print/", views.OrderPrintView.as_view(), name="print"),
    path("<int:pk>/pdf/", views.OrderPdfView.as_view(), name="pdf"),
    # POST only: submit, approve, reject, fulfil, complete, cancel.
    path("<int:pk>/<slug:action>/", views.OrderTransitionView.as_view(), name="transition"),
]
