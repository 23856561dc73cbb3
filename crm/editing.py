"""Create and edit pages whose save goes through a service, shared by every app."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView

from crm.access import VisibleObjectMixin


def safe_next(request, default: str) -> str:
    """The ``next`` the request names when it is a path on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def add_service_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormView(FormView):
    """A form page that saves through a service.

    Subclasses define ``save(form)``, which calls the app's service and returns the record
    whose page the user sees next.
    A ValidationError from the service shows on the form and nothing is saved; on success
    the user goes to a safe ``next`` or else to the record's page.
    """

    def form_valid(self, form):
        try:
            record = self.save(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return redirect(safe_next(self.request, record.get_absolute_url()))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next_url=safe_next(self.request, ""), **kwargs)


class RecordEditView(VisibleObjectMixin, ServiceFormView):
    """Edit one record the user may see (anything else is a 404, GET or POST).

    The record is ``self.object``, the form's instance, and is in the context under the
    model's name (``customer``, ``opportunity`` ...).
    """

    record_select_related: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        if self.record_select_related:
            queryset = queryset.select_related(*self.record_select_related)
        self.object = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.model._meta.model_name: self.object}, **kwargs)
