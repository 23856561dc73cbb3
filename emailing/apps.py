from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailingConfig(AppConfig):
    name = "emailing"
    verbose_name = _("E-mails to customers")

    def ready(self):
        from crm.panels import register_panel
        from emailing import panels

        # First on the quote's page: the e-mail being sent, or why the last one failed.
        register_panel(
            "quote", template="emailing/_quote_panel.html", context=panels.quote_email, order=5
        )
