"""Approval rules: what managers set in admin for quotes.services.submit_quote to read."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.money import MONEY

if TYPE_CHECKING:
    from quotes.models.quote import Quote


class ApprovalRule(models.Model):
    """A rule managers edit in admin, read when a quote is submitted.

    A rule applies to a quote when every limit it sets holds (a limit left empty always
    holds): the total, the effective discount across the lines, the margin. An "approve"
    rule approves such a quote at once; a "needs a manager" rule makes it wait for a
    manager whatever the approve rules say (checked first). With no rule that applies, a
    quote waits for a manager. A margin limit needs the margin: a quote none of whose lines
    has a cost price meets neither "at least" nor "below".
    """

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve automatically")
        REQUIRE_MANAGER = "require_manager", _("Always needs a manager")

    name = models.CharField(_("name"), max_length=100, unique=True)
    action = models.CharField(
        _("what the rule does"), max_length=20, choices=Action.choices, default=Action.APPROVE
    )
    max_total = models.DecimalField(
        _("total up to"),
        **MONEY,
        null=True,
        blank=True,
        help_text=_("Quotes with a total up to this amount."),
    )
    max_discount_percent = models.DecimalField(
        _("discount up to %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("…and an overall discount up to this percentage."),
    )
    min_margin_percent = models.DecimalField(
        _("margin at least %"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("…and a margin of at least this percentage."),
    )
    max_margin_percent = models.DecimalField(
        _("margin below %"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("…and a margin below this percentage."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    LIMITS = ("max_total", "max_discount_percent", "min_margin_percent", "max_margin_percent")

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["action", "max_total", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        if all(getattr(self, name) is None for name in self.LIMITS):
            raise ValidationError(
                _("Set at least one limit: a rule without one covers every quote.")
            )

    def allows(self, quote: "Quote") -> bool:
        """Whether every limit this rule sets holds for ``quote``."""
        margin = quote.margin_percent
        checks = (
            (self.max_total, lambda limit: quote.total <= limit),
            (self.max_discount_percent, lambda limit: quote.effective_discount_percent <= limit),
            (self.min_margin_percent, lambda limit: margin is not None and margin >= limit),
            (self.max_margin_percent, lambda limit: margin is not None and margin < limit),
        )
        return all(check(limit) for limit, check in checks if limit is not None)
