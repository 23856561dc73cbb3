from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from customers import services
from customers.filters import salespeople
from customers.models import Contact, Customer, Tag


class ContactInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # Each form checks the one-primary constraint only against the database, so two
        # contacts ticked primary in one submit would otherwise fail when saved (a 500).
        primaries = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", {}).get("is_primary")
            and not self._should_delete_form(form)
        ]
        if len(primaries) > 1:
            raise ValidationError(_("Only one contact can be the primary contact."))


class ContactInline(admin.TabularInline):
    model = Contact
    formset = ContactInlineFormSet
    extra = 0
    fields = ("name", "title", "email", "phone", "is_primary")


class ReassignForm(forms.Form):
    new_owner = forms.ModelChoiceField(queryset=salespeople(), label=_("New owner"))


@admin.action(
    description=_("Reassign the selected customers to another salesperson"), permissions=["change"]
)
def reassign_owner(modeladmin, request, queryset):
    form = ReassignForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        moved = services.reassign_customers(
            customer_ids=queryset.values_list("pk", flat=True),
            new_owner=form.cleaned_data["new_owner"],
            by=request.user,
        )
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d customer reassigned to %(owner)s.",
                "%(count)d customers reassigned to %(owner)s.",
                moved,
            )
            % {"count": moved, "owner": form.cleaned_data["new_owner"]},
            messages.SUCCESS,
        )
        return None
    return render(
        request,
        "admin/customers/reassign_owner.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reassign customers"),
            "form": form,
            "customers": queryset.select_related("owner"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "status",
        "industry",
        "rating",
        "owner",
        "phone",
        "email",
        "updated_at",
    )
    list_filter = (
        "status",
        "kind",
        "industry",
        "source",
        "rating",
        "tags",
        "owner",
        ("archived_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "email", "phone", "contacts__name")
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    filter_horizontal = ("tags",)
    readonly_fields = ("created_at", "updated_at", "archived_at")
    inlines = [ContactInline]
    actions = [reassign_owner]
    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("name", "kind", "status", "owner")}),
        (_("Classification"), {"fields": ("industry", "source", "rating", "tags")}),
        (_("Contact details"), {"fields": ("phone", "email", "website", "address")}),
        (_("Needs and notes"), {"fields": ("needs", "notes")}),
        (_("History"), {"fields": ("created_at", "updated_at", "archived_at")}),
    )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
