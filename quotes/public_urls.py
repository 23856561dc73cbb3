"""The customers' quote pages, outside the CRM's URL space (``/q/``), no login."""

from django.urls import path

from quotes import public_views

app_name = "public_quotes"

urlpatterns = [
    path("<str:token>/", public_views.PublicQuoteView.as_view(), name="show"),
    # POST only: the customer's answer.
    path("<str:token>/<slug:action>/", public_views.PublicQuoteView.as_view(), name="answer"),
]
