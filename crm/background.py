"""Work that runs on the background worker, and survives it failing or being killed.

Tasks are enqueued only through Django's Tasks API (``django.tasks``), so the backend is a
setting (``TASKS``): the database queue of django-tasks-db here, Celery or RQ for a team that
outgrows one machine. What the queue does not promise, this module does, whatever the backend:

- A ``Job`` row (a concrete model inherits the abstract one below) is the truth about one piece
  of work: its status, attempts, heartbeat and the reason it failed, shown to the user.
- ``enqueue`` sends its task once the transaction that created the job has committed, so a
  worker never looks for a row that is not there yet (or never will be).
- ``run`` is the task's body: it claims the job, runs the work, and on an exception tries
  again later (``CRM_JOB_ATTEMPTS`` in all, waiting longer each time) before it gives up and
  shows the job as failed with its reason.
- A worker killed mid-job leaves it "running" with a heartbeat that stops; ``resume_stale``
  (run by ``manage.py run_worker`` when it starts and every minute after) sends such jobs
  again, and also a job still waiting long after it was due (its task lost between the
  commit and the queue, or the queue's row lost). The work therefore has to be resumable: it commits in steps and records how far it
  got in the same transactions, so running it again continues instead of repeating.
- Work that keeps its own state instead of a ``Job`` (webhook deliveries) registers its own
  sweep with ``crm.sweeps`` (from its app's ``ready()``); the worker runs it beside this one.
"""

import logging
import traceback
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Job(models.Model):
    """One piece of background work; ``task_path`` names the task that runs it (its only
    argument is the job's primary key)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    #: The dotted path of the ``django.tasks`` task that runs jobs of this model.
    task_path: str = ""

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    #: When its task was last sent to the queue, or is due to run (a retry): a job waiting
    #: long after this was lost on the way, and is sent again.
    queued_at = models.DateTimeField(_("sent to the queue"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    #: Why the last attempt failed, in words for the user; the traceback is in the log.
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stale(self) -> bool:
        """Running, but not heard of for longer than a live worker stays silent."""
        limit = timezone.now() - timedelta(seconds=settings.CRM_JOB_STALE_SECONDS)
        return self.status == self.Status.RUNNING and (
            self.heartbeat_at is None or self.heartbeat_at < limit
        )

    def beat(self) -> None:
        """Say the work is alive (call it at least every ``CRM_JOB_STALE_SECONDS`` / 2)."""
        self.heartbeat_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(heartbeat_at=self.heartbeat_at)


class GiveUp(ValidationError):
    """A refusal no later attempt can change (the record moved on): the job fails at once,
    with this message as its reason, instead of being tried again."""


def enqueue(job: Job, *, delay_seconds: float = 0) -> None:
    """Send ``job``'s task once the current transaction commits (at once outside one)."""
    task = import_string(job.task_path)
    due = timezone.now() + timedelta(seconds=delay_seconds)
    if delay_seconds:
        task = task.using(run_after=due)
    job.queued_at = due
    type(job).objects.filter(pk=job.pk).update(queued_at=due)
    transaction.on_commit(lambda: task.enqueue(job.pk))


def retry_delay(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: 1, 2, 4... times the base."""
    return settings.CRM_JOB_RETRY_SECONDS * 2 ** (attempt - 1)


def run(model: type[Job], pk, work: Callable[[Job], None], *, retry: bool = True) -> str:
    """The body of a job's task: claim the job, ``work(job)``, and record how it ended.

    A job that is finished, or running with a live heartbeat elsewhere, is left alone: a
    queue may deliver a task twice. Without ``retry`` (a job run in the caller's process) a
    failure is final at once. Returns the status the job ended in.
    """
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.is_finished:
            return job.status if job else "missing"
        if job.status == Job.Status.RUNNING and not job.is_stale:
            return job.status
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    try:
        work(job)
    except Exception as error:
        return _failed(job, error, retry=retry)
    model.objects.filter(pk=pk).update(status=Job.Status.DONE, finished_at=timezone.now(), error="")
    return Job.Status.DONE


def _failed(job: Job, error: Exception, *, retry: bool) -> str:
    logger.error("%s %s failed (attempt %d)", job._meta.label, job.pk, job.attempts)
    logger.error("".join(traceback.format_exception(error)))
    reason = _reason(error)
    model = type(job)
    if retry and not isinstance(error, GiveUp) and job.attempts < settings.CRM_JOB_ATTEMPTS:
        with transaction.atomic():
            model.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error=reason)
            enqueue(job, delay_seconds=retry_delay(job.attempts))
        return Job.Status.QUEUED
    model.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, finished_at=timezone.now(), error=reason
    )
    return Job.Status.FAILED


def _reason(error: Exception) -> str:
    """What the user reads: our own refusals say it; anything else only its kind (the
    details, which may name internals, go to the log)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return gettext("Unexpected error (%(kind)s); the log of the worker has the details.") % {
        "kind": type(error).__name__
    }


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job)]


def resume_stale() -> int:
    """Send again every job whose worker went silent, or whose task was lost on the way to the
    queue; give up on one that used its attempts. Returns how many jobs were sent again."""
    resumed = 0
    limit = timezone.now() - timedelta(seconds=settings.CRM_JOB_STALE_SECONDS)
    for model in job_models():
        stale = model.objects.filter(status=Job.Status.RUNNING).filter(
            models.Q(heartbeat_at__lt=limit) | models.Q(heartbeat_at__isnull=True)
        )
        for job in stale:
            with transaction.atomic():
                locked = model.objects.select_for_update().filter(pk=job.pk).first()
                if locked is None or not locked.is_stale:
                    continue
                if locked.attempts < settings.CRM_JOB_ATTEMPTS:
                    locked.status = Job.Status.QUEUED
                    locked.error = gettext("The worker stopped during this run; it resumes.")
                    locked.save(update_fields=["status", "error"])
                    enqueue(locked)
                    resumed += 1
                else:
                    locked.status = Job.Status.FAILED
                    locked.finished_at = timezone.now()
                    locked.error = gettext("The worker stopped during every attempt.")
                    locked.save(update_fields=["status", "finished_at", "error"])
        resumed += _send_lost(model, limit)
    return resumed


def _send_lost(model: type[Job], limit) -> int:
    """Send again the jobs of ``model`` waiting since before ``limit`` though they were due:
    a worker polls its queue every second, so such a job's task never reached the queue (or
    the worker was busy all that time, and the task sent twice does nothing the second time:
    ``run`` leaves a job that is running or finished alone)."""
    sent = 0
    lost = model.objects.filter(status=Job.Status.QUEUED, queued_at__lt=limit)
    for pk in lost.values_list("pk", flat=True):
        with transaction.atomic():
            job = lost.select_for_update(skip_locked=True).filter(pk=pk).first()
            if job is not None:
                enqueue(job)
                sent += 1
    return sent
