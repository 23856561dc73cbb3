"""An import: the uploaded file, how its columns map to fields, and what each row became.

A run commits in batches; each batch writes its rows' outcomes (``ImportRow``) and moves
``next_row`` in the same transaction, so a run started again after a crash continues where
the last committed batch ended and never stores a row twice.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.background import Job
from imports.fields import KINDS


class OnDuplicate(models.TextChoices):
    SKIP = "skip", _("Skip the row")
    UPDATE = "update", _("Update the existing customer (only the mapped, non-empty columns)")
    CREATE = "create", _("Create a new customer anyway")


class ImportRun(Job):
    task_path = "imports.tasks.run_import"

    kind = models.CharField(_("what is imported"), max_length=20, choices=list(KINDS.items()))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="imports",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=255)
    headers = models.JSONField(_("columns"), default=list)
    #: Column header -> field name (a header left out is ignored).
    mapping = models.JSONField(_("mapping"), default=dict)
    on_duplicate = models.CharField(
        _("when a row matches an existing customer"),
        max_length=10,
        choices=OnDuplicate.choices,
        default=OnDuplicate.SKIP,
    )
    #: One owner for every imported record (a manager's choice); else the owner column, else
    #: the importer.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of the imported records"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: How to read dates like 01/03/2026: True day first, False month first, None only
    #: when there is one reading.
    day_first = models.BooleanField(_("day before month"), null=True, blank=True)
    #: When the importer confirmed the mapping and asked for the run (None: not yet).
    confirmed_at = models.DateTimeField(_("started by the user"), null=True, blank=True)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    #: Rows of the file handled so far, counting from the first data row.
    next_row = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(
        pgettext_lazy("import outcome", "created"), default=0
    )
    updated_count = models.PositiveIntegerField(
        pgettext_lazy("import outcome", "updated"), default=0
    )
    skipped_count = models.PositiveIntegerField(
        pgettext_lazy("import outcome", "skipped"), default=0
    )
    failed_count = models.PositiveIntegerField(pgettext_lazy("import outcome", "failed"), default=0)
    result_file = models.FileField(_("result"), upload_to="imports/results/%Y/%m/", blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at", "-id"], name="import_by_user"),
            # resume_stale looks for running imports, and waiting ones.
            models.Index(fields=["status"], name="import_status"),
        ]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("imports:detail", kwargs={"pk": self.pk})

    @property
    def result_file_name(self) -> str:
        """What the result file is called for the user ("customers-result.csv"), whatever
        name the storage gave it to keep it apart from another import's."""
        return f"{self.file_name.rsplit('.', 1)[0]}-result.csv"

    @property
    def percent_done(self) -> int:
        return 100 if not self.total_rows else min(100, self.next_row * 100 // self.total_rows)


class ImportRow(models.Model):
    """What one row of the file became: the result file's line, and what undo takes back."""

    class Outcome(models.TextChoices):
        CREATED = "created", pgettext_lazy("import outcome", "Created")
        UPDATED = "updated", pgettext_lazy("import outcome", "Updated")
        SKIPPED = "skipped", pgettext_lazy("import outcome", "Skipped")
        FAILED = "failed", pgettext_lazy("import outcome", "Failed")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    message = models.TextField(_("message"), blank=True)
    #: The record the row created or updated ("customers.customer", 42), if any.
    record_model = models.CharField(max_length=60, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True)
    #: A contact created with the customer (customers' rows).
    contact_id = models.BigIntegerField(null=True, blank=True)
    #: The values an update replaced, to put back on undo.
    previous = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")
        ordering = ["run", "row_number"]
        constraints = [
            # A row is stored once, however often a run is resumed.
            models.UniqueConstraint(fields=["run", "row_number"], name="import_row_once"),
        ]

    def __str__(self):
        return f"{self.run} #{self.row_number}: {self.outcome}"


class SavedMapping(models.Model):
    """A user's mapping for files with the same columns: offered again for the next one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=list(KINDS.items()))
    #: A digest of the file's headers, as normalised by imports.fields.
    headers_key = models.CharField(max_length=64)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "headers_key"], name="saved_mapping_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.headers_key[:8]}"
