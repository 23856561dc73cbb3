from django.urls import path

from products import views

app_name = "products"

urlpatterns = [
    path("", views.ProductListView.as_view(), name="list"),
    path("export/", views.ProductExportView.as_view(), name="export"),
    path("search/", views.ProductSearchView.as_view(), name="search"),
    path("new/", views.ProductCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ProductDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ProductUpdateView.as_view(), name="update"),
]
