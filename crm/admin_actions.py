"""Admin actions shared by the apps' admins."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.roles import salespeople


class ReassignForm(forms.Form):
    new_owner = forms.ModelChoiceField(queryset=salespeople(), label=gettext_lazy("New owner"))


def reassign_owner_action(*, reassign, description):
    """A bulk action that hands the selected records to another salesperson.

    It asks for the new owner on an intermediate page, then calls
    ``reassign(ids=..., new_owner=..., by=...)`` (the app's service), which returns how many
    records moved.
    """

    @admin.action(description=description, permissions=["change"])
    def reassign_owner(modeladmin, request, queryset):
        form = ReassignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            new_owner = form.cleaned_data["new_owner"]
            try:
                moved = reassign(
                    ids=list(queryset.values_list("pk", flat=True)),
                    new_owner=new_owner,
                    by=request.user,
                )
            except (PermissionDenied, ValidationError) as error:
                modeladmin.message_user(
                    request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR
                )
                return None
            opts = modeladmin.model._meta
            records = opts.verbose_name if moved == 1 else opts.verbose_name_plural
            modeladmin.message_user(
                request,
                _("%(count)d %(records)s reassigned to %(owner)s.")
                % {"count": moved, "records": records, "owner": new_owner},
                messages.SUCCESS,
            )
            return None
        opts = modeladmin.model._meta
        return render(
            request,
            "admin/reassign_owner.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": _("Reassign %(records)s") % {"records": opts.verbose_name_plural},
                "form": form,
                "records": queryset.select_related("owner"),
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "opts": opts,
            },
        )

    return reassign_owner
