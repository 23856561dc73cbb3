from django.urls import path

from opportunities.views import pipeline, records

app_name = "opportunities"

urlpatterns = [
    path("", records.OpportunityListView.as_view(), name="list"),
    path("export/", records.OpportunityExportView.as_view(), name="export"),
    path("new/", records.OpportunityCreateView.as_view(), name="create"),
    path("<int:pk>/", records.OpportunityDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", records.OpportunityUpdateView.as_view(), name="update"),
    path("<int:pk>/stage/", records.StageChangeView.as_view(), name="change_stage"),
    path("board/", pipeline.BoardView.as_view(), name="board"),
    path("forecast/", pipeline.ForecastView.as_view(), name="forecast"),
    path("forecast/export/", pipeline.ForecastExportView.as_view(), name="forecast_export"),
]
