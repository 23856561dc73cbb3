"""Telling people by e-mail, and their choice to be told.

``notify`` is called by the domain apps' services inside the transaction of the change
(quotes.notifications, orders.notifications): it writes one ``Notification`` per person who
wants it, in that person's language, and its task is enqueued only once the transaction
commits (crm.background.enqueue), so a change rolled back sends nothing. The worker sends it
(``deliver``), trying again when the mail server fails.
"""

import smtplib
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm import background
from notifications.models import Notification, Preference

_muted = ContextVar("notifications_muted", default=False)


@contextmanager
def muted():
    """No e-mail from `notify` inside: the demo's loader plays a team's past, which nobody
    is waiting to hear about."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def preference_of(user) -> Preference:
    """The user's preference, unsaved with the defaults when they never chose."""
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user)


def set_preference(*, user, email_enabled: bool, language: str = "") -> Preference:
    """Save ``user``'s own choices: e-mails on or off, and their language (empty: the site's)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email_enabled": email_enabled, "language": language}
    )
    return preference


def language_of(preference: Preference) -> str:
    return preference.language or settings.LANGUAGE_CODE


def signature() -> str:
    """The last line of every notification e-mail, in the language being written."""
    return _("You can turn these e-mails off on your profile's Notifications page.")


def site_url(path: str) -> str:
    """An absolute link for an e-mail: ``CRM_SITE_URL`` and the path."""
    return f"{settings.CRM_SITE_URL}{path}"


def users_with_permission(permission: str):
    """Active users who hold ``permission`` (through a group, directly, or as superusers)."""
    return get_user_model().objects.with_perm(permission, is_active=True)


def notify(
    *, users: Iterable, kind: str, write: Callable[[object], tuple[str, str]]
) -> list[Notification]:
    """Write an e-mail to each of ``users`` who has an address and has not turned the
    e-mails off, and send each once the current transaction commits.

    ``write(user)`` returns the subject and the body; it is called with the user's language
    active (their preference, else ``LANGUAGE_CODE``). A user named twice gets one e-mail.
    """
    if _muted.get():
        return []
    users = {user.pk: user for user in users if user is not None and user.is_active}
    if not users:
        return []
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=list(users))}
    notifications = []
    with transaction.atomic(savepoint=False):
        for pk, user in users.items():
            preference = preferences.get(pk) or Preference(user=user)
            if not preference.email_enabled or not user.email:
                continue
            with translation.override(language_of(preference)):
                subject, body = write(user)
            notification = Notification.objects.create(
                recipient=user,
                to_email=user.email,
                kind=kind,
                subject=" ".join(str(subject).split())[:200],
                body=str(body),
            )
            background.enqueue(notification)
            notifications.append(notification)
    return notifications


def send_message(message: EmailMessage) -> None:
    """Send ``message`` through the e-mail backend; a refusal of the mail server, or none
    reached, is a ``ValidationError`` whose message says why (the job shows it)."""
    try:
        message.send()
    except smtplib.SMTPResponseException as error:
        reason = error.smtp_error.decode("utf-8", "replace") if error.smtp_error else ""
        raise ValidationError(
            _("The mail server refused the e-mail: %(code)s %(reason)s")
            % {"code": error.smtp_code, "reason": reason}
        ) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise ValidationError(
            _("The mail server refused the recipients: %(addresses)s")
            % {"addresses": ", ".join(error.recipients)}
        ) from error
    except (smtplib.SMTPException, OSError) as error:
        raise ValidationError(
            _("The mail server could not be reached: %(reason)s")
            % {"reason": getattr(error, "strerror", None) or error or type(error).__name__}
        ) from error


def deliver(notification: Notification) -> None:
    """The work of a notification's job: send it, and record when it went."""
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.to_email],
    )
    send_message(message)
    Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
