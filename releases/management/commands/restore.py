from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from releases import backups


class Command(BaseCommand):
    help = (
        "Restore the database and the uploaded files from a folder written by "
        "manage.py backup. The database's current contents are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder written by manage.py backup.")

    def handle(self, *args, folder, **options):
        folder = backups.folder_for(folder)
        missing = [
            name for name in (backups.DATABASE, backups.MEDIA)
            if not (folder / name).is_file()
        ]  # fmt: skip
        if missing:
            raise CommandError(f"{folder} holds no {' or '.join(missing)}.")
        quiet = {"verbosity": 0, "interactive": False}
        call_command(
            "dbrestore",
            uncompress=True,
            input_path=str(folder / backups.DATABASE),
            **quiet,
        )
        call_command("migrate", verbosity=0)  # a backup of an older version
        call_command(
            "mediarestore",
            uncompress=True,
            replace=True,
            input_path=str(folder / backups.MEDIA),
            **quiet,
        )
        caches["default"].clear()  # pages cached from the data before
        self.stdout.write(f"Restored the database and media files from {folder}")
