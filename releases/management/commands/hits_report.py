import datetime
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from releases import reports
from releases.exports import csv_text


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date like 2021-10-31.") from error


class Command(BaseCommand):
    help = "Print the hit report for a date range, by release or another breakdown."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument(
            "--by",
            default="release",
            choices=["release", *reports.DIMENSIONS, "day", "summary"],
        )
        parser.add_argument("--format", default="table", choices=["table", "csv"])

    def handle(self, *args, start, end, by, format, **options):
        try:
            date_range = reports.Range.asked(iso_date(start), iso_date(end))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        header, rows = reports.tables(date_range)[by]
        if format == "csv":
            sys.stdout.buffer.write(csv_text(header, rows).encode("utf-8"))
            return
        cells = [header, *([str(value) for value in row] for row in rows)]
        widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
        for row in cells:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                )
            )
