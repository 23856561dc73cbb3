"""Deals, communications and catalogue products: a row at a time, through their services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from communications import services as communication_services
from imports.loaders.base import Loader, RowResult, jsonable
from imports.models import ImportRow, OnDuplicate
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, Stage
from products import services as product_services
from products.models import Product, normalize_sku

Outcome = ImportRow.Outcome


class OpportunityLoader(Loader):
    def store(self, values: dict) -> RowResult:
        customer = self.customer(values)
        owner = self.owner(values)
        stage = values.pop("stage", Stage.PROSPECTING)
        deal = opportunity_services.create_opportunity(
            by=self.by,
            customer_id=customer.pk,
            owner=owner if owner != self.by else None,
            stage=stage if stage in OPEN_STAGES else Stage.NEGOTIATION,
            **values,
        )
        if stage not in OPEN_STAGES:
            # A deal won or lost before the import: recorded as such, with where it came from.
            deal = opportunity_services.change_stage(
                opportunity_id=deal.pk, by=self.by, to=stage, note=_("Imported.")
            )
        return RowResult(Outcome.CREATED, record=deal)


class CommunicationLoader(Loader):
    def store(self, values: dict) -> RowResult:
        customer = self.customer(values)
        deal_name = values.pop("opportunity", None)
        opportunity_id = None
        if deal_name:
            deals = Opportunity.objects.visible_to(self.by).filter(
                customer=customer, name__iexact=deal_name
            )
            found = list(deals.values_list("pk", flat=True)[:2])
            if len(found) != 1:
                raise ValidationError(
                    _("Customer “%(customer)s” has no single opportunity named “%(name)s”.")
                    % {"customer": customer.name, "name": deal_name}
                )
            opportunity_id = found[0]
        values.setdefault("channel", "other")
        communication = communication_services.create_communication(
            by=self.by, customer_id=customer.pk, opportunity_id=opportunity_id, **values
        )
        return RowResult(Outcome.CREATED, record=communication)


class ProductLoader(Loader):
    """Catalogue rows, matched by SKU (case and spaces do not count): a SKU already in the
    catalogue is skipped or updated as the run says; "create anyway" cannot make a second
    product with the same SKU, so such a row fails and says why. Only people who may add
    products (sales managers) import them: products.services refuses anyone else."""

    def store(self, values: dict) -> RowResult:
        sku = normalize_sku(values.get("sku", ""))
        values["sku"] = sku
        existing = Product.objects.select_for_update().filter(sku=sku).first()
        if existing is None:
            product = product_services.create_product(by=self.by, **values)
            return RowResult(Outcome.CREATED, record=product)
        mode = self.run.on_duplicate
        if mode == OnDuplicate.CREATE:
            return RowResult(
                Outcome.FAILED,
                _("SKU %(sku)s is already in the catalogue; choose to skip or update.")
                % {"sku": sku},
            )
        if mode == OnDuplicate.SKIP:
            return RowResult(
                Outcome.SKIPPED,
                _("SKU %(sku)s is already in the catalogue (“%(name)s”).")
                % {"sku": sku, "name": existing.name},
                record=existing,
            )
        previous = {name: getattr(existing, name) for name in values}
        changed = {name: value for name, value in values.items() if previous[name] != value}
        product = product_services.update_product(product_id=existing.pk, by=self.by, **changed)
        return RowResult(
            Outcome.UPDATED,
            _("Updated product %(sku)s.") % {"sku": sku},
            record=product,
            previous={name: jsonable(previous[name]) for name in changed},
        )
