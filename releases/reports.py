"""Hit figures, always aggregated from DailyHits (filtered by date, then summed)."""

import datetime

from django.db.models import Q, Sum
from django.utils import timezone

from releases.models import Release


def most_read(start, end, limit=5):
    """Published releases with the most hits from start to end (dates, inclusive)."""
    in_range = Q(daily_hits__day__gte=start, daily_hits__day__lte=end)
    return (
        Release.objects.published()
        .annotate(hits_in_range=Sum("daily_hits__hits", filter=in_range))
        .filter(hits_in_range__gt=0)
        .select_related("department")
        .order_by("-hits_in_range", "-published_at")[:limit]
    )


def most_read_this_week(limit=5):
    today = timezone.localdate()
    return most_read(today - datetime.timedelta(days=6), today, limit)
