from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        from communications import panels
        from crm.panels import register_panel

        register_panel(
            "customer",
            template="communications/_customer_timeline.html",
            context=panels.customer_timeline,
        )
        register_panel(
            "opportunity",
            template="communications/_opportunity_communications.html",
            context=panels.opportunity_communications,
        )
