from django.urls import path

from communications import views

app_name = "communications"

urlpatterns = [
    path("", views.CommunicationListView.as_view(), name="list"),
    path("export/", views.CommunicationExportView.as_view(), name="export"),
    path("new/", views.CommunicationCreateView.as_view(), name="create"),
    path("follow-ups/", views.FollowUpListView.as_view(), name="follow_ups"),
    path("<int:pk>/", views.CommunicationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CommunicationUpdateView.as_view(), name="update"),
    path("<int:pk>/follow-up-done/", views.FollowUpDoneView.as_view(), name="follow_up_done"),
]
