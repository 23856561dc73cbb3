from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        from crm.panels import register_panel
        from orders import panels
        from webhooks import payloads

        # An order's webhook events show it with its lines (until the HTTP API's schema
        # replaces this, registering the same model from its own ready()).
        payloads.register("orders.Order", payloads.with_lines)

        register_panel(
            "quote", template="orders/_quote_order.html", context=panels.quote_order, order=10
        )
        register_panel(
            "customer",
            template="orders/_customer_transactions.html",
            context=panels.customer_transactions,
            order=50,
        )
