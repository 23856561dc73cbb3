from django.urls import path

from emailing import views

app_name = "emailing"

urlpatterns = [
    # GET: the form (pre-filled in ?language=); POST: send.
    path("quotes/<int:pk>/", views.QuoteEmailView.as_view(), name="quote"),
    # The quote page's panel, polled while the e-mail is being sent (htmx).
    path("quotes/<int:pk>/status/", views.QuoteEmailStatusView.as_view(), name="status"),
]
