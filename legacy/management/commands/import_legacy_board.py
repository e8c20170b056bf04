"""manage.py import_legacy_board PATH --board BBS_ID: the old board's articles
as releases, with their hits and files (legacy.importing); README "Moving from
an old board"."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from legacy import importing, source


class Command(BaseCommand):
    help = "Import the articles of one board of an eGovFrame board export."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="folder of the CSV files (and stored files)"
        )
        parser.add_argument("--board", required=True, help="the board's BBS_ID")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default="ko",
        )
        parser.add_argument("--files", help="folder of the stored files, if not PATH")
        parser.add_argument(
            "--database-url", help="read the tables from this PostgreSQL database"
        )
        parser.add_argument(
            "--encoding", help="the CSV files' encoding (default: UTF-8, else CP949)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )
        parser.add_argument(
            "--keep-numbers", action="store_true", help="keep NTT_NO where free"
        )
        parser.add_argument(
            "--tag",
            action="store_true",
            help="tag the places and officials named, where unambiguous",
        )

    def handle(self, *args, **options):
        if not options["path"] and not options["database_url"]:
            raise CommandError("Give the folder of the CSV files, or --database-url.")
        try:
            tables = (
                source.DatabaseSource(options["database_url"])
                if options["database_url"]
                else source.CsvSource(options["path"], options["encoding"])
            )
        except (source.SourceError, LookupError) as error:
            raise CommandError(str(error)) from None
        report = importing.import_board(
            tables,
            options["board"],
            language=options["language"],
            files_folder=options["files"] or options["path"],
            dry_run=options["dry_run"],
            keep_numbers=options["keep_numbers"],
            tag=options["tag"],
            progress=lambda count, total: self.stderr.write(
                f"{count:,} of {total:,} articles read…"
            ),
        )
        self.print_report(report, options["dry_run"])

    def print_report(self, report, dry_run):
        write = self.stdout.write
        if dry_run:
            write("Dry run: nothing was written. This is what an import would do.")
        write(f"Imported: {len(report.imported)}")
        write(f"Updated: {len(report.updated)}")
        write(f"Unchanged: {report.unchanged}")
        write(f"Skipped: {len(report.skipped)}")
        for article_id, reason in report.skipped:
            write(f"  NTT_ID {article_id}: {reason}")
        conflicts = len(report.conflicts)
        write(f"Conflicts (edited here since imported, left as they are): {conflicts}")
        for article_id, number in report.conflicts:
            write(f"  NTT_ID {article_id}: release No. {number}")
        write(f"Attachments copied: {report.attachments}")
        write(f"Missing files: {len(report.missing_files)}")
        for number, name, path in report.missing_files:
            write(f"  No. {number}: {name} ({path})")
        write(f"Files refused: {len(report.refused_files)}")
        for number, name, reason in report.refused_files:
            write(f"  No. {number}: {name}: {reason}")
        write(f"Warnings: {len(report.warnings)}")
        for article_id, warning in report.warnings:
            write(f"  NTT_ID {article_id}: {warning}")
        tagged = [entry for entry in report.tags if entry[2]]
        write(f"Named in the text: {len(report.tags)} ({len(tagged)} tagged)")
        for number, name, applied in report.tags:
            write(f"  No. {number}: {name}{' (tagged)' if applied else ''}")
