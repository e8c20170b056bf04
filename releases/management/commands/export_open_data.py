from django.core.management.base import BaseCommand

from releases import open_data


class Command(BaseCommand):
    help = (
        "Export every public release as JSON Lines and CSV, with a data "
        "dictionary, under OPEN_DATA_ROOT; the site serves the latest at "
        "/open-data/. Run it nightly."
    )

    def handle(self, *args, **options):
        counts = open_data.export()
        folder = open_data.latest_folder()
        self.stdout.write(
            f"Exported {counts['releases.jsonl']} releases to {folder}: "
            + ", ".join(sorted(counts))
        )
