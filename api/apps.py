from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api.v1.idempotency import purge_expired
        from crm.sweeps import register_sweep

        register_sweep("api.idempotency_keys", purge_expired)
