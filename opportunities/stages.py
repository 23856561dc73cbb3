"""The pipeline's stages and the one place that maps each to its default probability."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PROSPECTING = "prospecting", _("Prospecting")
    QUALIFIED = "qualified", _("Qualified")
    PROPOSAL = "proposal", _("Proposal")
    NEGOTIATION = "negotiation", _("Negotiation")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


OPEN_STAGES = [Stage.PROSPECTING, Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION]
CLOSED_STAGES = [Stage.WON, Stage.LOST]

#: Percent chance of winning that a deal in each stage starts with.
STAGE_PROBABILITY = {
    Stage.PROSPECTING: 10,
    Stage.QUALIFIED: 25,
    Stage.PROPOSAL: 50,
    Stage.NEGOTIATION: 75,
    Stage.WON: 100,
    Stage.LOST: 0,
}
