"""The background task of a notification e-mail (enqueued through ``django.tasks`` only)."""

from django.tasks import task

from crm import background
from notifications.models import Notification


@task()
def send_notification(notification_id: int) -> str:
    from notifications.services import deliver

    return background.run(Notification, notification_id, deliver)
