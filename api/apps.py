from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        from api.v1.idempotency import purge_expired
        from api.v1.schemas_of_records import register_webhook_payloads
        from crm.sweeps import register_sweep

        register_sweep("api.idempotency_keys", purge_expired)
        # A webhook's data is the record as GET /api/v1/<resource>/{id} shows it; these
        # replace the renderers the apps below registered (this app comes after them).
        register_webhook_payloads()
