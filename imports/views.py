"""The pages of an import: upload, mapping, preview, progress (updated by htmx), result, undo."""

from contextlib import closing
from itertools import islice

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from crm.workflow import refusal_message
from customers.duplicates import find_matches
from imports import services
from imports.fields import Lookups, convert_row, fields_of
from imports.forms import MappingForm, UploadForm
from imports.models import ImportRun
from imports.reading import ImportFileError, read_table
from imports.running import dry_run
from imports.undo import undo_import, undo_refusal

PREVIEW_ROWS = 20


class ImportListView(ListView):
    template_name = "imports/import_list.html"
    paginate_by = 25

    def get_queryset(self):
        return services.visible_imports(self.request.user)


class ImportCreateView(FormView):
    form_class = UploadForm
    template_name = "imports/import_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        file = form.cleaned_data["file"]
        try:
            run = services.upload(
                by=self.request.user, kind=form.cleaned_data["kind"], file=file, file_name=file.name
            )
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
            return self.form_invalid(form)
        return redirect("imports:mapping", pk=run.pk)


class OwnImportMixin:
    """An import of the user's own that has not started yet (anything else: 404)."""

    def get_run(self) -> ImportRun:
        return get_object_or_404(
            ImportRun, pk=self.kwargs["pk"], created_by=self.request.user, confirmed_at=None
        )


class ImportMappingView(OwnImportMixin, FormView):
    form_class = MappingForm
    template_name = "imports/import_mapping.html"

    def dispatch(self, request, *args, **kwargs):
        self.run = self.get_run()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "run": self.run, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "run": self.run}

    def form_valid(self, form):
        try:
            services.set_mapping(
                run_id=self.run.pk,
                by=self.request.user,
                mapping=form.mapping(),
                on_duplicate=form.cleaned_data.get("on_duplicate") or self.run.on_duplicate,
                owner=form.cleaned_data.get("owner"),
                day_first=form.day_first_value(),
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, refusal_message(error))
            return self.form_invalid(form)
        return redirect("imports:preview", pk=self.run.pk)


class ImportPreviewView(OwnImportMixin, DetailView):
    template_name = "imports/import_preview.html"
    context_object_name = "run"

    def get_object(self, queryset=None):
        return self.get_run()

    def get_context_data(self, **kwargs):
        run = self.object
        lookups = Lookups.load(day_first=run.day_first)
        outcomes = dict(dry_run(run, limit=PREVIEW_ROWS))
        # The values in the file's column order: the mapping read back from PostgreSQL
        # (jsonb) has its keys in another order, shortest header first.
        by_name = {field.name: field for field in fields_of(run.kind)}
        mapped = [
            (header, by_name[run.mapping[header]])
            for header in run.headers
            if run.mapping.get(header)
        ]
        rows = []
        try:
            with (
                run.file.open("rb") as file,
                read_table(file, filename=run.file_name) as table,
                closing(table.rows()) as table_rows,
            ):
                for number, raw in islice(table_rows, PREVIEW_ROWS):
                    values, errors = convert_row(run.kind, run.mapping, raw, lookups=lookups)
                    rows.append(
                        {
                            "number": number,
                            "cells": [
                                _preview_cell(field, values, raw.get(header))
                                for header, field in mapped
                            ],
                            "errors": errors,
                            "result": outcomes.get(number),
                            "similar": []
                            if errors
                            else self.similar(run, values, outcomes.get(number)),
                        }
                    )
        except ImportFileError as error:
            messages.error(self.request, error.message)
        return {
            **super().get_context_data(**kwargs),
            "columns": [field.label for _header, field in mapped],
            "rows": rows,
            "shown": len(rows),
        }

    def similar(self, run, values, result) -> list:
        """Customers with a similar name (trigram similarity on PostgreSQL): shown, not acted
        on, since similar is not the same (the run matches e-mail, phone and name)."""
        if run.kind != "customers" or not values.get("name"):
            return []
        matched = getattr(result, "record", None)
        matches = find_matches(
            by=self.request.user,
            name=values["name"],
            similar=True,
            exclude_pk=matched.pk if matched is not None else None,
        )
        return matches.visible[:3]


class ImportStartView(OwnImportMixin, View):
    def post(self, request, pk):
        run = self.get_run()
        try:
            services.start(run_id=run.pk, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
            return redirect("imports:mapping", pk=run.pk)
        messages.success(request, _("The import runs in the background; you may leave this page."))
        return redirect(run)


class VisibleImportMixin:
    def get_queryset(self):
        return services.visible_imports(self.request.user)


class ImportDetailView(VisibleImportMixin, DetailView):
    template_name = "imports/import_detail.html"
    context_object_name = "run"

    def get_template_names(self):
        if self.request.htmx:
            return ["imports/_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        refusal = undo_refusal(self.object, self.request.user)
        return {**super().get_context_data(**kwargs), "undo_refusal": refusal}


class ImportResultView(VisibleImportMixin, View):
    def get(self, request, pk):
        run = get_object_or_404(self.get_queryset(), pk=pk)
        if not run.result_file:
            raise Http404
        return FileResponse(
            run.result_file.open("rb"),
            as_attachment=True,
            filename=run.result_file_name,
            content_type="text/csv; charset=utf-8",
        )


class ImportUndoView(VisibleImportMixin, View):
    def post(self, request, pk):
        run = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            undo_import(run_id=run.pk, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, _("The import has been undone."))
        return redirect(run)


def _preview_cell(field, values: dict, raw) -> tuple[object, bool]:
    """(what the preview shows, whether the file's value was refused): a value that does not
    convert is shown as the file has it, marked, next to the row's error."""
    if field.name in values:
        return field.shown(values[field.name]), False
    refused = raw is not None and str(raw).strip() != ""
    return (raw if refused else ""), refused
