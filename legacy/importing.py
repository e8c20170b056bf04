"""Importing one board of the old system: each live article a release, each of
its stored files an attachment, every run safe to repeat.

Each article is written in a transaction of its own, with its files, so a run
that is stopped can be run again: what it finished is found by its key (board,
NTT_ID) and digest and left alone, and the rest is done. A dry run does all of
it in one transaction that is rolled back, and stores no file.
"""

import contextlib
import dataclasses
from collections import defaultdict
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from legacy import mapping
from legacy.models import ImportedArticle, ImportedFile
from releases import suggestions, uploads
from releases.models import Attachment, Release


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


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def import_board(
    source, board, language="ko", files_folder=None, dry_run=False,
    keep_numbers=False, tag=False, progress=None,
):  # fmt: skip
    """Import board's articles from source (legacy.source); returns a Report."""
    report = Report()
    run = _Run(
        source, board, language, files_folder, dry_run, keep_numbers, tag, report
    )
    try:
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            run.numbers = run.plan_numbers()
            for count, row in enumerate(source.articles(board), start=1):
                run.one(row)
                if progress and count % 1000 == 0:
                    progress(count)
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
        for row in self.source.articles(self.board):
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

    def one(self, row):
        article_id = _number(row["NTT_ID"])
        if article_id is None:
            self.report.skipped.append(
                (row["NTT_ID"][:20], _("NTT_ID is not a number"))
            )
            return
        try:
            fields, warnings = mapping.article(row, self.language)
        except (mapping.Skip, mapping.RowProblem) as reason:
            self.report.skipped.append((article_id, str(reason)))
            return
        files = self.files_of.get(row["ATCH_FILE_ID"].strip(), [])
        digest = mapping.digest(row, files)
        known = self.known.get(article_id)
        if known and known.source_digest == digest:
            self.report.unchanged += 1
            return
        if known and known.release.revision != known.imported_revision:
            self.report.conflicts.append((article_id, known.release.number))
            return
        self.report.warnings += [(article_id, warning) for warning in warnings]
        with transaction.atomic():
            release = self._save(article_id, known, fields)
            if not known:
                self._attach(release, files)
            self._tag(release, new=not known)
            record = {"source_digest": digest, "imported_revision": release.revision}
            if known:
                ImportedArticle.objects.filter(pk=known.pk).update(**record)
            else:
                ImportedArticle.objects.create(
                    board_id=self.board,
                    article_id=article_id,
                    release=release,
                    **record,
                )
        (self.report.updated if known else self.report.imported).append(release.number)

    def _save(self, article_id, known, fields):
        if known:
            release = known.release
            counted = release.hit_count - release.legacy_hits
        else:
            release = Release(
                number=self.numbers.get(article_id), language=self.language
            )
            counted = 0
        for name, value in fields.items():
            setattr(release, name, value)
        release.hit_count = release.legacy_hits + counted  # never daily hits
        reason = _("Imported from the old board (%(board)s, %(id)s)") % {
            "board": self.board,
            "id": article_id,
        }
        # Its history row is written here: simple_history's own would also copy
        # the (still empty) tags, the most of an article's import time.
        release.skip_history_when_saving = True
        release.save()
        del release.skip_history_when_saving
        _record_history(release, "~" if known else "+", reason)
        return release

    def _attach(self, release, files):
        for file in files:
            original, stored = file["original"], file["stored"]
            if stored is None:
                reason = _("its stored name leaves the files' folder")
                self.report.refused_files.append((release.number, original, reason))
            elif not Path(stored).is_file():
                self.report.missing_files.append((release.number, original, stored))
            else:
                self._copy(release, file)

    def _copy(self, release, file):
        """The stored file as an attachment, through the upload checks."""
        with open(file["stored"], "rb") as opened:
            upload = File(opened, name=file["original"])
            try:
                uploads.validate_attachment(upload)
            except ValidationError as error:
                reason = " ".join(error.messages)
                self.report.refused_files.append(
                    (release.number, file["original"], reason)
                )
                return
            self.report.attachments += 1
            if self.dry_run:
                return  # checked, not stored
            upload.seek(0)
            attachment = Attachment(
                release=release, title=Path(file["original"]).stem[:200], file=upload
            )
            attachment.save()  # stored under a new name, its type and size noted
        ImportedFile.objects.create(
            file_id=file["file_id"], number=file["number"], attachment=attachment
        )

    def _tag(self, release, new):
        # A new release has no tags yet: what its text names is untagged.
        find = suggestions.mentions if new else suggestions.untagged_mentions
        mentions = find(release, self.candidates)
        for field, found in mentions.items():
            for tag in found:
                applied = self.tag and len(found) == 1
                if applied:
                    getattr(release, field).add(tag)
                self.report.tags.append((release.number, str(tag), applied))

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


def _record_history(release, history_type, reason):
    history = Release.history.model
    history.objects.create(
        history_date=timezone.now(),
        history_type=history_type,
        history_change_reason=reason,
        **{
            field.attname: getattr(release, field.attname)
            for field in history.tracked_fields
        },
    )


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
