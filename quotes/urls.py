from django.urls import path

from quotes import document_views, revision_views, views

app_name = "quotes"

urlpatterns = [
    path("", views.QuoteListView.as_view(), name="list"),
    path("export/", views.QuoteExportView.as_view(), name="export"),
    path("new/", views.QuoteCreateView.as_view(), name="create"),
    path("<int:pk>/", views.QuoteDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.QuoteUpdateView.as_view(), name="update"),
    path("<int:pk>/print/", document_views.QuotePrintView.as_view(), name="print"),
    path("<int:pk>/pdf/", document_views.QuotePdfView.as_view(), name="pdf"),
    # Two revisions of one quote, side by side.
    path(
        "<int:pk>/compare/<int:other>/", revision_views.QuoteCompareView.as_view(), name="compare"
    ),
    # POST only: submit, approve, reject, revise, send, accept, decline, cancel.
    path("<int:pk>/<slug:action>/", views.QuoteTransitionView.as_view(), name="transition"),
]
