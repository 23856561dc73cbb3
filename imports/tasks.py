"""The background task of an import (enqueued through ``django.tasks`` only)."""

from django.tasks import task

from crm import background
from imports.models import ImportRun
from imports.running import process


@task()
def run_import(import_id: int) -> str:
    return background.run(ImportRun, import_id, process)
