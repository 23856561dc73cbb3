from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from crm.admin_actions import reassign_owner_action
from customers import services
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


reassign_owner = reassign_owner_action(
    reassign=lambda *, ids, new_owner, by: services.reassign_customers(
        customer_ids=ids, new_owner=new_owner, by=by
    ),
    description=_("Reassign the selected customers to another salesperson"),
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
    readonly_fields = ("created_at", "updated_at", "archived_at", "merged_into")
    inlines = [ContactInline]
    actions = [reassign_owner]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "owner" in form.changed_data:
            # The customer's records follow their new owner, as with the bulk action.
            services.reassign_customers(customer_ids=[obj.pk], new_owner=obj.owner, by=request.user)

    show_full_result_count = False
    fieldsets = (
        (None, {"fields": ("name", "kind", "status", "owner")}),
        (_("Classification"), {"fields": ("industry", "source", "rating", "tags")}),
        (_("Contact details"), {"fields": ("phone", "email", "website", "address")}),
        (_("Needs and notes"), {"fields": ("needs", "notes")}),
        (_("History"), {"fields": ("created_at", "updated_at", "archived_at", "merged_into")}),
    )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
