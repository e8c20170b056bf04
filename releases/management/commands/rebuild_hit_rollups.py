from django.core.management.base import BaseCommand

from releases import rollups
from releases.models import DailyTotal, MonthlyHits, RollupProgress


class Command(BaseCommand):
    help = (
        "Recompute from DailyHits the monthly and daily hit sums reports read. Run "
        "it after writing DailyHits of past days outside the site (an import, a "
        "restore)."
    )

    def handle(self, *args, **options):
        rollups.rebuild()
        self.stdout.write(
            f"Rebuilt {MonthlyHits.objects.count()} monthly and "
            f"{DailyTotal.objects.count()} daily sums, through "
            f"{RollupProgress.objects.get().rolled_up_through}."
        )
