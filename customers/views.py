from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.editing import RecordEditView, ServiceFormView
from crm.listing import FilteredListView
from crm.panels import render_panels
from crm.roles import is_manager
from customers import services
from customers.duplicate_pairs import Cursor, duplicate_page
from customers.duplicates import find_matches
from customers.filters import CustomerFilter
from customers.forms import ContactForm, CustomerForm, MergeForm
from customers.merge import merge_customers
from customers.models import Contact, Customer, CustomerMerge


class CustomerListView(FilteredListView):
    model = Customer
    filterset_class = CustomerFilter
    list_select_related = ("owner",)
    list_prefetch_related = ("tags",)
    template_name = "customers/customer_list.html"


class CustomerExportView(CsvExportView):
    model = Customer
    filterset_class = CustomerFilter
    list_name = "customers"
    columns = [
        Column("id", gettext_lazy("ID")),
        Column("name", gettext_lazy("Name")),
        Column("kind", gettext_lazy("Kind"), Customer.Kind.choices),
        Column("status", gettext_lazy("Status"), Customer.Status.choices),
        Column("industry", gettext_lazy("Industry"), Customer.Industry.choices),
        Column("source", gettext_lazy("Source channel"), Customer.Source.choices),
        Column("rating", gettext_lazy("Rating"), Customer.Rating.choices),
        Column("owner__username", gettext_lazy("Owner")),
        Column("phone", gettext_lazy("Phone")),
        Column("email", gettext_lazy("E-mail")),
        Column("website", gettext_lazy("Website")),
        Column("address", gettext_lazy("Address")),
        Column("needs", gettext_lazy("Needs")),
        Column("created_at", gettext_lazy("Created")),
        Column("updated_at", gettext_lazy("Updated")),
        Column("archived_at", gettext_lazy("Archived")),
    ]


class CustomerFormMixin:
    form_class = CustomerForm
    template_name = "customers/customer_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class CustomerCreateView(CustomerFormMixin, ServiceFormView):
    def save(self, form):
        customer = services.create_customer(by=self.request.user, **form.service_values())
        messages.success(self.request, _("Customer “%(name)s” created.") % {"name": customer.name})
        return customer


class CustomerUpdateView(CustomerFormMixin, RecordEditView):
    model = Customer

    def save(self, form):
        customer = services.update_customer(
            customer_id=self.object.pk, by=self.request.user, **form.service_values()
        )
        messages.success(self.request, _("Customer “%(name)s” saved.") % {"name": customer.name})
        return customer


class CustomerDetailView(VisibleObjectMixin, DetailView):
    model = Customer
    template_name = "customers/customer_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("owner", "merged_into")
            .prefetch_related(
                "tags",
                "contacts",
                Prefetch("merges", CustomerMerge.objects.select_related("merged", "by")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("contact_form", ContactForm())
        context["panels"] = render_panels("customer", self.request, self.object)
        return context


class CustomerArchiveView(VisibleObjectMixin, View):
    """POST only: archive (or, with ``restore``, bring back) a customer."""

    model = Customer
    http_method_names = ["post"]
    restore = False

    def post(self, request, pk):
        customer = get_object_or_404(self.get_queryset(), pk=pk)
        if self.restore:
            services.restore_customer(customer_id=customer.pk, by=request.user)
            messages.success(request, _("Customer “%(name)s” restored.") % {"name": customer.name})
        else:
            services.archive_customer(customer_id=customer.pk, by=request.user)
            messages.success(request, _("Customer “%(name)s” archived.") % {"name": customer.name})
        return redirect(customer)


class ContactCreateView(VisibleObjectMixin, View):
    """POST only, from the form on the customer's page; errors show on that page."""

    model = Customer
    http_method_names = ["post"]

    def post(self, request, pk):
        customer = get_object_or_404(self.get_queryset(), pk=pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            contact = services.add_contact(
                customer_id=customer.pk, by=request.user, **form.service_values()
            )
            messages.success(request, _("Contact “%(name)s” added.") % {"name": contact.name})
            return redirect(customer)
        # Render the customer's page through its GET handler: dispatching the POST to the
        # detail view would answer 405 and lose the form with its errors.
        detail = CustomerDetailView(extra_context={"contact_form": form})
        detail.setup(request, pk=pk)
        response = detail.get(request, pk=pk)
        response.status_code = 400
        return response

    def get_queryset(self):
        return super().get_queryset().filter(archived_at__isnull=True)


class ContactUpdateView(RecordEditView):
    model = Contact
    form_class = ContactForm
    template_name = "customers/contact_form.html"
    record_select_related = ("customer",)

    def get_context_data(self, **kwargs):
        return super().get_context_data(customer=self.object.customer, **kwargs)

    def save(self, form):
        contact = services.update_contact(
            contact_id=self.object.pk, by=self.request.user, **form.service_values()
        )
        messages.success(self.request, _("Contact “%(name)s” saved.") % {"name": contact.name})
        return contact.customer


class ContactDeleteView(VisibleObjectMixin, View):
    model = Contact
    http_method_names = ["post"]

    def post(self, request, pk):
        contact = get_object_or_404(self.get_queryset(), pk=pk)
        customer = services.remove_contact(contact_id=contact.pk, by=request.user)
        messages.success(request, _("Contact “%(name)s” removed.") % {"name": contact.name})
        return redirect(customer)


class DuplicatesView(TemplateView):
    """Likely pairs of duplicates among the user's current customers (customers.duplicate_pairs),
    a page at a time from the cursor in the query string."""

    template_name = "customers/duplicates.html"

    def get_context_data(self, **kwargs):
        cursor = Cursor.from_query(self.request.GET)
        page = duplicate_page(self.request.user, cursor)
        return super().get_context_data(
            page=page,
            object_list=page.rows(),
            continued=cursor != Cursor(),
            next_query=urlencode(page.next.as_query()) if page.next else "",
            **kwargs,
        )


class CustomerMergeView(VisibleObjectMixin, View):
    """Two customers side by side (this one and ``other``), a choice of value per field where
    they differ, and the merge on POST. Without ``other``: the customers that match this one."""

    model = Customer
    template_name = "customers/customer_merge.html"

    def get(self, request, pk):
        survivor = get_object_or_404(self.get_queryset(), pk=pk)
        other = self.other(request.GET, survivor)
        if other == survivor:
            messages.error(request, _("A customer cannot be merged with itself."))
            other = None
        if other is None:
            matches = find_matches(
                by=request.user,
                name=survivor.name,
                email=survivor.email,
                phone=survivor.phone,
                exclude_pk=survivor.pk,
            )
            return self.page(survivor, matches=matches)
        form = MergeForm(survivor=survivor, other=other, user=request.user)
        return self.page(survivor, other=other, form=form)

    def post(self, request, pk):
        survivor = get_object_or_404(self.get_queryset(), pk=pk)
        other = self.other(request.POST, survivor)
        if other is None:
            raise Http404
        form = MergeForm(request.POST, survivor=survivor, other=other, user=request.user)
        if not form.is_valid():
            return self.page(survivor, other=other, form=form, status=400)
        try:
            merge_customers(
                survivor_id=survivor.pk, other_id=other.pk, by=request.user, keep=form.keep()
            )
        except Customer.DoesNotExist as error:
            raise Http404 from error
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(f"{reverse('customers:merge', args=[survivor.pk])}?other={other.pk}")
        messages.success(
            request,
            _("“%(other)s” merged into “%(name)s”.") % {"other": other.name, "name": survivor.name},
        )
        return redirect(survivor)

    def other(self, data, survivor):
        """The other customer named in ``data``, None when none is; 404 when not the user's."""
        value = data.get("other", "")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        return get_object_or_404(self.get_queryset().select_related("owner"), pk=int(value))

    def page(self, survivor, *, status=200, **context):
        if "form" in context:
            context["rows"] = context["form"].rows()
        context.update(customer=survivor, manager=is_manager(self.request.user))
        return render(self.request, self.template_name, context, status=status)

    def get_queryset(self):
        return super().get_queryset().select_related("owner")
