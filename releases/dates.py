"""The days a release may be dated and a report may cover.

The office published nothing before 1990, and no embargo runs ten years: a date
outside these is a typing mistake (9999-12-31), and near the calendar's ends a
comparison period or a day chart cannot even be computed.
"""

import datetime

from django.utils import timezone

EARLIEST_DAY = datetime.date(1990, 1, 1)
LATEST_YEARS = 10


def latest_day():
    """The last day a release may be dated or a report may cover."""
    return timezone.localdate() + datetime.timedelta(days=LATEST_YEARS * 365)


def in_window(day):
    return EARLIEST_DAY <= day <= latest_day()


def window():
    """The window as a dict for messages: {"earliest": …, "latest": …}."""
    return {"earliest": EARLIEST_DAY, "latest": latest_day()}
