from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.admin_actions import reassign_owner_action
from opportunities import services
from opportunities.models import Opportunity
from opportunities.stages import Stage


def _stage_action(target: Stage):
    """An admin action that moves the selected deals to ``target`` through the service."""

    def action(modeladmin, request, queryset):
        moved, refused = 0, []
        for pk, name in queryset.values_list("pk", "name"):
            try:
                services.change_stage(opportunity_id=pk, by=request.user, to=target)
                moved += 1
            except ValidationError as error:
                refused.append(f"{name}: {' '.join(error.messages)}")
        if moved:
            modeladmin.message_user(
                request,
                ngettext("%(count)d opportunity moved.", "%(count)d opportunities moved.", moved)
                % {"count": moved},
                messages.SUCCESS,
            )
        for line in refused:
            modeladmin.message_user(request, line, messages.WARNING)

    action.__name__ = f"move_to_{target.value}"
    action.short_description = _("Move selected to “%(stage)s”") % {"stage": target.label}
    action.allowed_permissions = ("change",)
    return action


class OpportunityAdminForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = [
            "name",
            "customer",
            "owner",
            "amount",
            "expected_close_date",
            "next_step",
            "description",
        ]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    form = OpportunityAdminForm
    list_display = (
        "name",
        "customer",
        "stage",
        "amount",
        "probability",
        "weighted_amount",
        "expected_close_date",
        "owner",
    )
    list_filter = ("stage", "owner", "expected_close_date")
    search_fields = ("name", "customer__name")
    list_select_related = ("customer", "owner")
    raw_id_fields = ("customer",)
    autocomplete_fields = ("owner",)
    readonly_fields = (
        "stage",
        "probability",
        "weighted_amount",
        "lost_reason",
        "closed_at",
        "created_at",
        "updated_at",
    )
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        # Write only what the form changed: the stage belongs to the services.
        if change:
            obj.save(update_fields=[*form.changed_data, "updated_at"])
        else:
            obj.save()

    actions = [
        reassign_owner_action(
            reassign=lambda *, ids, new_owner, by: services.reassign_opportunities(
                opportunity_ids=ids, new_owner=new_owner, by=by
            ),
            description=_("Reassign the selected opportunities to another salesperson"),
        ),
        *(
            _stage_action(Stage(s))
            for s in (Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION, Stage.WON)
        ),
    ]
