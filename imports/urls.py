from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/", views.ImportCreateView.as_view(), name="new"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/mapping/", views.ImportMappingView.as_view(), name="mapping"),
    path("<int:pk>/preview/", views.ImportPreviewView.as_view(), name="preview"),
    # POST only: send the import to the background worker.
    path("<int:pk>/start/", views.ImportStartView.as_view(), name="start"),
    path("<int:pk>/result/", views.ImportResultView.as_view(), name="result"),
    # POST only: take the whole import back.
    path("<int:pk>/undo/", views.ImportUndoView.as_view(), name="undo"),
]
