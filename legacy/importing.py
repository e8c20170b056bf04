"""Importing one board of the old system: each live article a release, each of
its stored files an attachment, every run safe to repeat.

New articles are written in batches, each in a transaction of its own with
their files, so a run that is stopped can be run again: what it finished is
found by its key (board, NTT_ID) and digest and left alone, and the rest is
done. A batch the database refuses is written again article by article, so
that only the article at fault is left out (and reported). A dry run does all
of it in one transaction that is rolled back, and stores no file.
"""

import contextlib
import dataclasses
from collections import defaultdict
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from legacy import mapping
from legacy.models import ImportedArticle, ImportedFile
from releases import search, suggestions, uploads
from releases.api import forget_lists
from releases.models import Attachment, Release
from releases.text import clean_text_fields

BATCH_SIZE = 500
_HISTORY = Release.history.model
PROGRESS_EVERY = 1000  # articles


@dataclasses.dataclass
class Report:
    imported: list = dataclasses.field(default_factory=list)
    updated: list = dataclasses.field(default_factory=list)
    unchanged: int = 0
    skipped: list = dataclasses.field(default_factory=list)  # (NTT_ID, reason)
    conflicts: list = dataclasses.field(default_factory=list)
    attachments: int = 0
    missing_files: list = dataclasses.field(
        default_factory=list
    )  # (number, name, path)
    refused_files: list = dataclasses.field(default_factory=list)  # (number, name, why)
    warnings: list = dataclasses.field(default_factory=list)  # (NTT_ID, warning)
    tags: list = dataclasses.field(default_factory=list)  # (number, tag, applied)

    def add(self, other):
        """Add other's lines and counts to this report's."""
        for field in dataclasses.fields(self):
            setattr(
                self, field.name, getattr(self, field.name) + getattr(other, field.name)
            )


@dataclasses.dataclass
class _Article:
    """A row read and mapped, to be written."""

    article_id: int
    fields: dict
    files: list
    digest: str
    known: ImportedArticle | None
    warnings: list


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def import_board(
    source, board, language="ko", files_folder=None, dry_run=False,
    keep_numbers=False, tag=False, progress=None, batch_size=BATCH_SIZE,
):  # fmt: skip
    """Import board's articles from source (legacy.source); returns a Report."""
    report = Report()
    run = _Run(
        source, board, language, files_folder, dry_run, keep_numbers, tag, report
    )
    try:
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            run.numbers = run.plan_numbers()
            batch = []
            for count, row in enumerate(source.articles(board), start=1):
                article = run.read(row)
                if article and article.known:
                    run.update(article)
                elif article:
                    batch.append(article)
                if len(batch) >= batch_size:
                    run.create(batch)
                    batch = []
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count, run.total)
            run.create(batch)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


@dataclasses.dataclass
class _Run:
    source: object
    board: str
    language: str
    files_folder: Path | None
    dry_run: bool
    keep_numbers: bool
    tag: bool
    report: Report

    def __post_init__(self):
        self.files_of = self._files()
        self.candidates = suggestions.every_candidate()
        self.known = {
            imported.article_id: imported
            for imported in ImportedArticle.objects.filter(board_id=self.board)
            .select_related("release")
            .only("article_id", "source_digest", "imported_revision", "release")
        }

    def plan_numbers(self):
        """{NTT_ID: board number} for the articles not yet imported: after the
        highest number in use, in the old board's order (first registered,
        then NTT_NO), or each article's NTT_NO when asked for and free."""
        keys = []
        self.total = 0
        for row in self.source.articles(self.board):
            self.total += 1
            # Only what orders it: a row found bad later leaves a gap, as
            # deleted articles left on the old board.
            try:
                article_id = int(row["NTT_ID"])
                mapping.check_is_article(row)
                created = mapping.moment(row, "FRST_REGIST_PNTTM", required=True)
            except (ValueError, mapping.RowProblem, mapping.Skip):
                continue
            if article_id not in self.known:
                keys.append((created, _number(row["NTT_NO"]), article_id))
        used = set(Release.objects.values_list("number", flat=True))
        numbers = {}
        if self.keep_numbers:  # first, every old number that is free
            for _created, old_number, article_id in sorted(keys):
                if old_number and old_number not in used:
                    numbers[article_id] = old_number
                    used.add(old_number)
        following = (Release.objects.aggregate(Max("number"))["number__max"] or 0) + 1
        for _created, _old_number, article_id in sorted(keys):
            if article_id in numbers:
                continue
            while following in used:
                following += 1
            numbers[article_id] = following
            used.add(following)
        return numbers

    def read(self, row):
        """The row as an _Article to write; None (and a line in the report)
        for one to skip, one unchanged since the last run, or a conflict."""
        article_id = _number(row["NTT_ID"])
        if article_id is None:
            self.report.skipped.append(
                (row["NTT_ID"][:20], _("NTT_ID is not a number"))
            )
            return None
        try:
            fields, warnings = mapping.article(row, self.language)
        except (mapping.Skip, mapping.RowProblem) as reason:
            self.report.skipped.append((article_id, str(reason)))
            return None
        files = self.files_of.get(row["ATCH_FILE_ID"].strip(), [])
        digest = mapping.digest(row, files)
        known = self.known.get(article_id)
        if known and known.source_digest == digest:
            self.report.unchanged += 1
            return None
        if known and known.release.revision != known.imported_revision:
            self.report.conflicts.append((article_id, known.release.number))
            return None
        return _Article(article_id, fields, files, digest, known, warnings)

    def update(self, article):
        """Write a changed article over the release it was imported as."""
        release, known = article.known.release, article.known
        with transaction.atomic():
            counted = release.hit_count - release.legacy_hits
            for name, value in article.fields.items():
                setattr(release, name, value)
            release.hit_count = release.legacy_hits + counted  # never daily hits
            # Its history row is written here, as for a new one (_history).
            release.skip_history_when_saving = True
            release.save()
            del release.skip_history_when_saving
            self._history(release, "~", article.article_id).save()
            self._tag([release], untagged_only=True, report=self.report)
            ImportedArticle.objects.filter(pk=known.pk).update(
                source_digest=article.digest, imported_revision=release.revision
            )
        self.report.warnings += [(article.article_id, w) for w in article.warnings]
        self.report.updated.append(release.number)

    def create(self, articles):
        """Write new articles as releases, in one transaction; if the database
        refuses it, one by one, reporting the one it refuses."""
        if not articles:
            return
        report, stored = Report(), []
        try:
            with transaction.atomic():
                self._create(articles, report, stored)
        except DatabaseError as error:
            _delete_stored(stored)
            if len(articles) > 1:
                for article in articles:
                    self.create([article])
            else:
                reason = _("the database refused it: %(error)s") % {
                    "error": str(error).splitlines()[0][:200]
                }
                self.report.skipped.append((articles[0].article_id, reason))
            return
        except BaseException:
            _delete_stored(stored)
            raise
        self.report.add(report)

    def _create(self, articles, report, stored):
        slugs = Release.free_slugs([article.fields["title"] for article in articles])
        releases, copies = [], []
        for article, slug in zip(articles, slugs, strict=True):
            release = Release(
                number=self.numbers[article.article_id],
                language=self.language,
                slug=slug,
                revision=1,
                **article.fields,
            )
            release.hit_count = release.legacy_hits  # never daily hits
            clean_text_fields(Release, release)  # as a save would
            releases.append(release)
            copies += self._copies(release, article.files, report, stored)
        # Created as Release.save would: its body already cleaned by the
        # mapping, its slug and number chosen above, its search text below.
        Release.objects.bulk_create(releases)
        search.index_many(releases)
        Release.history.model.objects.bulk_create(
            self._history(release, "+", article.article_id)
            for release, article in zip(releases, articles, strict=True)
        )
        ImportedArticle.objects.bulk_create(
            ImportedArticle(
                board_id=self.board,
                article_id=article.article_id,
                release=release,
                source_digest=article.digest,
                imported_revision=release.revision,
            )
            for release, article in zip(releases, articles, strict=True)
        )
        Attachment.objects.bulk_create(attachment for attachment, _file in copies)
        ImportedFile.objects.bulk_create(
            ImportedFile(file_id=file["file_id"], number=file["number"], attachment=a)
            for a, file in copies
        )
        self._tag(releases, untagged_only=False, report=report)
        forget_lists()
        for release, article in zip(releases, articles, strict=True):
            report.warnings += [(article.article_id, w) for w in article.warnings]
            report.imported.append(release.number)

    def _history(self, release, history_type, article_id):
        return _HISTORY(
            history_date=timezone.now(),
            history_type=history_type,
            history_change_reason=_("Imported from the old board (%(board)s, %(id)s)")
            % {"board": self.board, "id": article_id},
            **{
                field.attname: getattr(release, field.attname)
                for field in _HISTORY.tracked_fields
            },
        )

    def _copies(self, release, files, report, stored):
        """Each stored file of the (unsaved) release that passes the upload
        checks as an unsaved attachment, its file stored and its name added to
        stored, with its file; the others reported."""
        copies = []
        for file in files:
            original, path = file["original"], file["stored"]
            if path is None:
                reason = _("its stored name leaves the files' folder")
                report.refused_files.append((release.number, original, reason))
            elif not Path(path).is_file():
                report.missing_files.append((release.number, original, path))
            elif attachment := self._copy(release, file, report, stored):
                copies.append((attachment, file))
        return copies

    def _copy(self, release, file, report, stored):
        with open(file["stored"], "rb") as opened:
            upload = File(opened, name=file["original"])
            try:
                uploads.validate_attachment(upload)
            except ValidationError as error:
                reason = " ".join(error.messages)
                report.refused_files.append((release.number, file["original"], reason))
                return None
            report.attachments += 1
            if self.dry_run:
                return None  # checked, not stored
            upload.seek(0)
            attachment = Attachment(
                release=release, title=Path(file["original"]).stem[:200], file=upload
            )
            attachment.describe_file()
            attachment.file.save(upload.name, upload, save=False)
            stored.append(attachment.file.name)
        return attachment

    def _tag(self, releases, untagged_only, report):
        """Report the officials and places each release names; with --tag, tag
        each that only one of its kind matches."""
        find = suggestions.untagged_mentions if untagged_only else suggestions.mentions
        links = defaultdict(list)
        for release in releases:
            for field, found in find(release, self.candidates).items():
                for tag in found:
                    applied = self.tag and len(found) == 1
                    if applied:
                        links[field].append(
                            getattr(Release, field).through(
                                release_id=release.pk,
                                **{f"{tag._meta.model_name}_id": tag.pk},
                            )
                        )
                    report.tags.append((release.number, str(tag), applied))
        for field, rows in links.items():
            getattr(Release, field).through.objects.bulk_create(rows)
        if links:
            forget_lists()

    def _files(self):
        """{ATCH_FILE_ID: [its files, by FILE_SN]}, each a dict of its old key,
        where it is stored on this machine (None: a name that would leave the
        files' folder) and its original name."""
        found = defaultdict(list)
        root = Path(self.files_folder or getattr(self.source, "folder", "."))
        for row in self.source.files():
            stored = _stored_path(root, row)
            found[row["ATCH_FILE_ID"].strip()].append(
                {
                    "file_id": row["ATCH_FILE_ID"].strip(),
                    "number": _number(row["FILE_SN"]) or 0,
                    "stored": str(stored) if stored else None,
                    "original": _original_name(row),
                    "size": row["FILE_SIZE"].strip(),
                }
            )
        return {
            key: sorted(files, key=lambda f: f["number"])
            for key, files in found.items()
        }


def _delete_stored(names):
    """Remove the files a batch stored before its transaction was undone."""
    for name in names:
        Attachment.file.field.storage.delete(name)


def _number(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _stored_path(root, row):
    """Where the stored file is under root: its name in the storage folder's
    last part, or at root; None for a name that would leave root."""
    name = row["STRE_FILE_NM"].strip()
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        return None
    folder = PurePosixPath(row["FILE_STRE_COURS"].replace("\\", "/").strip())
    for candidate in (root / folder.name / name, root / name):
        resolved = candidate.resolve()
        if resolved.is_relative_to(root.resolve()) and resolved.is_file():
            return resolved
    return (root / name).resolve()


def _original_name(row):
    name = PurePosixPath(row["ORIGNL_FILE_NM"].replace("\\", "/").strip()).name
    extension = row["FILE_EXTSN"].strip().lstrip(".")
    if extension and not name.lower().endswith(f".{extension.lower()}"):
        name = f"{name}.{extension}"
    return name or f"file.{extension or 'bin'}"
