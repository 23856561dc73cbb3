from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField

from crm.models import CustomerRecord
from crm.money import MONEY
from crm.workflow import logged_transition
from opportunities.querysets import OpportunityQuerySet
from opportunities.stages import OPEN_STAGES, STAGE_PROBABILITY, Stage


class Opportunity(ConcurrentTransitionMixin, CustomerRecord):
    # ConcurrentTransitionMixin: a save never writes back a stage that changed meanwhile.
    Stage = Stage

    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(
        _("amount"), **MONEY, default=Decimal("0.00"), validators=[MinValueValidator(0)]
    )
    stage = FSMField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PROSPECTING, protected=True
    )
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"),
        default=STAGE_PROBABILITY[Stage.PROSPECTING],
        validators=[MaxValueValidator(100)],
    )
    probability_is_custom = models.BooleanField(
        _("custom probability"),
        default=False,
        help_text=_("Set when someone overrode the stage's default probability."),
    )
    # Weighted amount lives in the database so that lists sort by it and totals sum it.
    weighted_amount = models.GeneratedField(
        expression=F("amount") * F("probability") / 100,
        output_field=models.DecimalField(**MONEY),
        db_persist=True,
        verbose_name=_("weighted amount"),
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    next_step = models.CharField(_("next step"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    lost_reason = models.TextField(_("lost reason"), blank=True, max_length=2000)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__lte=100), name="opportunity_probability_max_100"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="opportunity_amount_not_negative"
            ),
        ]
        indexes = [
            # The dashboard: open pipeline by stage and deals won in a period, read from the
            # index alone (the summed columns are in the key: SQLite has no INCLUDE).
            models.Index(fields=["stage", "amount", "weighted_amount"], name="opp_stage_amounts"),
            models.Index(
                fields=["customer_owner", "stage", "amount", "weighted_amount"],
                name="opp_co_stage_amounts",
            ),
            models.Index(fields=["stage", "closed_at", "amount"], name="opp_stage_closed"),
            models.Index(
                fields=["customer_owner", "stage", "closed_at", "amount"],
                name="opp_co_stage_closed",
            ),
            # A salesperson's lists: their customers' records in each sort, one index range.
            models.Index(fields=["customer_owner", "-updated_at", "-id"], name="opp_co_updated"),
            models.Index(fields=["customer_owner", "name", "id"], name="opp_co_name"),
            models.Index(fields=["customer_owner", "amount", "id"], name="opp_co_amount"),
            models.Index(
                fields=["customer_owner", "weighted_amount", "id"], name="opp_co_weighted"
            ),
            models.Index(fields=["customer_owner", "probability", "id"], name="opp_co_probability"),
            models.Index(fields=["customer_owner", "stage", "id"], name="opp_co_stage"),
            models.Index(
                fields=["customer_owner", "expected_close_date", "id"], name="opp_co_close"
            ),
            models.Index(fields=["stage", "expected_close_date", "id"], name="opp_stage_close"),
            models.Index(fields=["owner", "stage", "id"], name="opp_owner_stage"),
            models.Index(fields=["customer", "-updated_at", "-id"], name="opp_customer_updated"),
            models.Index(fields=["-updated_at", "-id"], name="opp_updated"),
            models.Index(fields=["expected_close_date", "id"], name="opp_close"),
            models.Index(fields=["amount", "id"], name="opp_amount"),
            models.Index(fields=["name", "id"], name="opp_name"),
            # The list's sorts by weighted amount, probability and stage (make bench, issue 6).
            models.Index(fields=["weighted_amount", "id"], name="opp_weighted"),
            models.Index(fields=["probability", "id"], name="opp_probability"),
            models.Index(fields=["stage", "id"], name="opp_stage"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("opportunities:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    # Transitions say what may happen; services say who, under which lock, with what record.

    @logged_transition(field=stage, source=OPEN_STAGES, target=RETURN_VALUE(*OPEN_STAGES))
    def move(self, *, to, by=None, description=None):
        self._take_stage_probability(to)
        return to

    @logged_transition(field=stage, source=OPEN_STAGES, target=Stage.WON)
    def win(self, *, by=None, description=None):
        self.probability = STAGE_PROBABILITY[Stage.WON]
        self.closed_at = timezone.now()

    @logged_transition(field=stage, source=OPEN_STAGES, target=Stage.LOST)
    def lose(self, *, reason, by=None, description=None):
        self.probability = STAGE_PROBABILITY[Stage.LOST]
        self.lost_reason = reason
        self.closed_at = timezone.now()

    @logged_transition(field=stage, source=Stage.LOST, target=RETURN_VALUE(*OPEN_STAGES))
    def reopen(self, *, to, by=None, description=None):
        self.probability_is_custom = False
        self._take_stage_probability(to)
        self.lost_reason = ""
        self.closed_at = None
        return to

    def _take_stage_probability(self, stage):
        if not self.probability_is_custom:
            self.probability = STAGE_PROBABILITY[stage]
