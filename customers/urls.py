from django.urls import path

from customers import views

app_name = "customers"

urlpatterns = [
    path("", views.CustomerListView.as_view(), name="list"),
    path("export/", views.CustomerExportView.as_view(), name="export"),
    path("new/", views.CustomerCreateView.as_view(), name="create"),
    path("duplicates/", views.DuplicatesView.as_view(), name="duplicates"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CustomerUpdateView.as_view(), name="update"),
    path("<int:pk>/archive/", views.CustomerArchiveView.as_view(), name="archive"),
    path("<int:pk>/merge/", views.CustomerMergeView.as_view(), name="merge"),
    path("<int:pk>/restore/", views.CustomerArchiveView.as_view(restore=True), name="restore"),
    path("<int:pk>/contacts/new/", views.ContactCreateView.as_view(), name="contact_create"),
    path("contacts/<int:pk>/edit/", views.ContactUpdateView.as_view(), name="contact_update"),
    path("contacts/<int:pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"),
]
