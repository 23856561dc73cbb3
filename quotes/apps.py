from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuotesConfig(AppConfig):
    name = "quotes"
    verbose_name = _("Quotes")

    def ready(self):
        from crm.panels import register_panel
        from quotes import panels
        from webhooks import payloads

        # A quote's webhook events show it with its lines (until the HTTP API's schema
        # replaces this, registering the same model from its own ready()).
        payloads.register("quotes.Quote", payloads.with_lines)

        register_panel(
            "opportunity",
            template="quotes/_opportunity_quotes.html",
            context=panels.opportunity_quotes,
            order=50,
        )
