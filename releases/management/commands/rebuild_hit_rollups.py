from django.core.management.base import BaseCommand

from releases import rollups
from releases.models import DailyTotal, MonthlyHits


class Command(BaseCommand):
    help = (
        "Recompute the monthly and daily hit sums the reports read from DailyHits. "
        "Run it after writing DailyHits outside the site (an import or a restore)."
    )

    def handle(self, *args, **options):
        rollups.rebuild()
        self.stdout.write(
            f"Rebuilt {MonthlyHits.objects.count()} monthly and "
            f"{DailyTotal.objects.count()} daily sums."
        )
