"""The bulk export of every public release: JSON Lines, CSV and a data dictionary.

`manage.py export_open_data` writes them into a new folder under
OPEN_DATA_ROOT and then points `latest` at it, so a download never sees half an
export; the site serves the latest at /open-data/. Each JSON line is a release
exactly as the API gives it (releases.api_schemas.Release); the CSV has one row
a release with the columns of CSV_COLUMNS, in UTF-8 with a byte order mark for
spreadsheet programs.
"""

import csv
import datetime
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from releases import api_records, api_schemas
from releases.exports import neutralise

FILES = {
    "releases.jsonl": "application/x-ndjson",
    "releases.csv": "text/csv",
    "data-dictionary.csv": "text/csv",
}
LATEST = "latest"
FOLDER_NAME = "%Y-%m-%dT%H%M%S"  # when the export was made, UTC
CHUNK = 500
# (column, what it holds), for the CSV and the data dictionary.
CSV_COLUMNS = [
    ("number", "The release's board number, unique, given in order of creation."),
    ("url", "The release's page on the site (canonical address)."),
    ("title", "Title."),
    ("language", "en (English) or ko (Korean)."),
    ("published_at", "When it was published: ISO 8601, UTC."),
    ("updated_at", "Its last major change (else its publication): ISO 8601, UTC."),
    ("withdrawn", "yes if withdrawn (its page stays with a notice), else empty."),
    ("withdrawal_reason", "Why it was withdrawn, as its page says."),
    ("department", "The issuing department's slug."),
    ("contact_name", "Whom journalists may contact."),
    ("contact_phone", "Their telephone."),
    ("contact_email", "Their e-mail."),
    ("municipalities", "Slugs of the municipalities it is tagged with, ; between."),
    ("officials", "Slugs of the officials it is tagged with, ; between."),
    ("topics", "Slugs of its topics, ; between."),
    ("summary", "Key points, one a line (○ a point, – a sub-point)."),
    ("body_html", "The text as HTML, sanitized as on the page."),
    ("attachments", "Addresses of its attached files, ; between."),
    ("licence", "The reuse licence."),
    ("hits", "Times its page was read, including counts from the old board."),
]


class SiteAddress:
    """What the API's schemas ask of a request, for an export made outside one:
    absolute addresses under SITE_URL."""

    def build_absolute_uri(self, path):
        return urljoin(settings.SITE_URL, path)


def root():
    return Path(settings.OPEN_DATA_ROOT)


def latest_folder():
    """The folder of the latest export, or None before the first."""
    latest = root() / LATEST
    return latest.resolve() if latest.exists() else None


def export(now=None):
    """Write a new export and make it the latest: {file name: rows written}."""
    now = now or timezone.now()
    folder = root() / now.astimezone(datetime.UTC).strftime(FOLDER_NAME)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {"releases.jsonl": 0}
    with (
        (folder / "releases.jsonl").open("w", encoding="utf-8") as lines,
        (folder / "releases.csv").open("w", encoding="utf-8-sig", newline="") as table,
    ):
        rows = csv.writer(table)
        rows.writerow([column for column, _meaning in CSV_COLUMNS])
        for release in _releases():
            lines.write(json.dumps(release, ensure_ascii=False, cls=DjangoJSONEncoder))
            lines.write("\n")
            rows.writerow([neutralise(value) for value in _csv_row(release)])
            counts["releases.jsonl"] += 1
    counts["releases.csv"] = counts["releases.jsonl"]
    _write_dictionary(folder / "data-dictionary.csv")
    counts["data-dictionary.csv"] = len(CSV_COLUMNS)
    _point_latest_at(folder)
    _remove_older_than(folder)
    return counts


def _releases():
    address = SiteAddress()
    releases = api_records.public_releases().order_by("number")
    chunk = []
    for release in releases.iterator(chunk_size=CHUNK):
        chunk.append(release)
        if len(chunk) == CHUNK:
            yield from _exported(chunk, address)
            chunk = []
    yield from _exported(chunk, address)


def _exported(releases, address):
    for record in api_records.records(releases, address):
        yield api_schemas.Release.model_validate(record).model_dump(mode="json")


def _csv_row(release):
    withdrawn = release["withdrawn"]
    values = {
        **release,
        "withdrawn": "yes" if withdrawn else "",
        "withdrawal_reason": withdrawn["reason"] if withdrawn else "",
        "department": (release["department"] or {}).get("slug", ""),
        "contact_name": release["contact"]["name"],
        "contact_phone": release["contact"]["phone"],
        "contact_email": release["contact"]["email"],
        "attachments": ";".join(file["url"] for file in release["attachments"]),
        "licence": release["licence"]["name"],
    }
    for tags in ("municipalities", "officials", "topics"):
        values[tags] = ";".join(tag["slug"] for tag in release[tags])
    return [values[column] for column, _meaning in CSV_COLUMNS]


def _write_dictionary(path):
    with path.open("w", encoding="utf-8-sig", newline="") as dictionary:
        rows = csv.writer(dictionary)
        rows.writerow(["column", "meaning"])
        rows.writerows(CSV_COLUMNS)


def _point_latest_at(folder):
    # A new link renamed over the old one: the switch is atomic.
    link = root() / f".{LATEST}-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(folder.name)
    os.replace(link, root() / LATEST)


def _remove_older_than(folder):
    """Keep the latest export and the one before it (a download may be reading it)."""
    exports = sorted(
        entry for entry in root().iterdir()
        if entry.is_dir() and not entry.is_symlink() and entry != folder
    )  # fmt: skip
    for old in exports[:-1]:
        shutil.rmtree(old, ignore_errors=True)


def made_at():
    """When the latest export was made, from its folder's name; None before one."""
    folder = latest_folder()
    if folder is None:
        return None
    return datetime.datetime.strptime(f"{folder.name}+0000", f"{FOLDER_NAME}%z")
