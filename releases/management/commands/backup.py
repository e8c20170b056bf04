from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from releases import backups


class Command(BaseCommand):
    help = (
        "Back up the database and the uploaded files into one folder "
        "(default: a new folder under DJANGO_BACKUP_ROOT), for manage.py restore."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="Where to write the backup.")

    def handle(self, *args, folder=None, **options):
        folder = backups.folder_for(folder, timezone.now())
        folder.mkdir(parents=True, exist_ok=True)
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)  # none yet
        quiet = {"verbosity": 0, "noinput": True}
        call_command(
            "dbbackup",
            compress=True,
            output_path=str(folder / backups.DATABASE),
            exclude_tables=",".join(backups.tables_left_out()),
            **quiet,
        )
        call_command(
            "mediabackup",
            compress=True,
            output_path=str(folder / backups.MEDIA),
            **quiet,
        )
        self.stdout.write(f"Backed up the database and media files to {folder}")
