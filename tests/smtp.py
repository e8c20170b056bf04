"""A real SMTP server on loopback (aiosmtpd) for the tests that send mail."""

import email
import email.policy
import socket


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        self.messages.append((envelope.rcpt_tos, message))
        self.received(message)
        return "250 OK"

    def received(self, message):
        """Called with each message as it arrives; a test's handler may act."""

    def to(self, address):
        return [message for rcpts, message in self.messages if address in rcpts]


class RefusingInbox(Inbox):
    """An inbox whose server refuses the mailboxes starting "gone@"."""

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("gone@"):
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def serve(handler):
    """Start an SMTP server on loopback with handler; returns its controller
    (its port is .port; stop() it)."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def start_server(handler, settings):
    """serve(handler), with Django's mail pointed at it."""
    controller = serve(handler)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://newsroom.example"
    return controller


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content()
