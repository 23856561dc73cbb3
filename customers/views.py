from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.editing import RecordEditView, ServiceFormView
from crm.listing import FilteredListView
from crm.panels import render_panels
from customers import services
from customers.filters import CustomerFilter
from customers.forms import ContactForm, CustomerForm
from customers.models import Contact, Customer


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
        return super().get_queryset().select_related("owner").prefetch_related("tags", "contacts")

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
