import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo superuser with a fresh random password and print "
        "it. Refuses to run unless DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo superuser is only for DJANGO_DEBUG=1.")
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            f"Admin: http://127.0.0.1:{options.get('port') or 8000}/admin/ "
            f"user {USERNAME!r}, password {password!r}"
        )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="Port shown in the link.")
