"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the e-mail tests: it keeps what it receives,
or refuses every message when told to, and the tests read the messages back."""

import email
import email.policy
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def attachments(self) -> dict[str, bytes]:
        return {part.get_filename(): part.get_content() for part in self.message.iter_attachments()}


@dataclass
class Mailbox:
    """The server's handler: what it received, and the answer to give instead (a failure)."""

    received: list[Received] = field(default_factory=list)
    refuse_with: str | None = None
    host: str = "127.0.0.1"
    port: int = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_with:
            return self.refuse_with
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server():
    mailbox = Mailbox(port=free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def use_smtp(settings, mailbox: Mailbox) -> None:
    """Point Django's e-mail at ``mailbox`` (the test settings otherwise keep mail in memory)."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": mailbox.host, "port": mailbox.port, "timeout": 5},
        }
    }


def worker_env(mailbox: Mailbox) -> dict[str, str]:
    """The same, as a worker process's environment."""
    return {
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": mailbox.host,
        "EMAIL_PORT": str(mailbox.port),
        "EMAIL_USE_TLS": "0",
    }


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
