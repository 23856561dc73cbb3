from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from crm.sweeps import register_sweep
        from webhooks.delivery import sweep

        # manage.py run_worker (crm, below us) sweeps what we register: deliveries whose
        # task was lost or whose worker died mid-request are sent again.
        register_sweep("webhooks.deliveries", sweep)
