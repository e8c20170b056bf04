"""One article row of the old board as the fields of a release, by the rules of
issue 14: a problem with the row is a RowProblem naming what is wrong."""

import datetime
import hashlib
import json
import re

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from releases import dates, richtext
from releases.models import Release

# The old editor's line breaks: two or more in a row end a paragraph.
_BREAKS = re.compile(r"(?:\s*<br\s*/?>\s*){2,}", re.IGNORECASE)
_BLOCK = re.compile(r"<(p|div|table|ul|ol|h[1-6]|blockquote)\b", re.IGNORECASE)
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S", "%Y/%m/%d", "%Y.%m.%d %H:%M:%S", "%Y.%m.%d",
]  # fmt: skip
# Digits only (YYYYMMDD, …HHMM, …HHMMSS): read by their length, as
# "20261205" would otherwise also read as 2026-01-02 00:05.
COMPACT_FORMATS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
BODY_MAX_CHARACTERS = 1_000_000  # after cleaning
TITLE_MAX = Release._meta.get_field("title").max_length
CONTACT_MAX = Release._meta.get_field("contact_name").max_length


class RowProblem(Exception):
    """The row cannot become a release; the message says why."""


class Skip(Exception):
    """The row is not an article to import (deleted, a reply); says which."""


def article(row, language="ko", now=None):
    """The release fields of row, and the warnings about it.

    Raises Skip for a deleted article or a reply, RowProblem for a row that
    cannot be read.
    """
    check_is_article(row)
    now = now or timezone.now()
    warnings = []
    title = " ".join(row["NTT_SJ"].split())
    if not title:
        raise RowProblem(_("no title"))
    if len(title) > TITLE_MAX:
        warnings.append(_("title cut to %(max)s characters") % {"max": TITLE_MAX})
        title = title[: TITLE_MAX - 1] + "…"
    created = moment(row, "FRST_REGIST_PNTTM", required=True)
    updated = moment(row, "LAST_UPDT_PNTTM")
    fields = {
        "title": title,
        "body": body(row["NTT_CN"], warnings),
        "published_at": created,
        "last_major_update_at": updated if updated and updated > created else None,
        "legacy_hits": hits(row["RDCNT"]),
        "contact_name": " ".join(row["NTCR_NM"].split())[:CONTACT_MAX],
        "status": Release.Status.PUBLISHED,
        "withdrawn_at": None,
        "withdrawal_reason": "",
    }
    starts = moment(row, "NTCE_BGNDE")
    ends = moment(row, "NTCE_ENDDE", end_of_day=True)
    if starts and starts > now:
        fields["published_at"] = starts  # scheduled: live when its window opens
    elif ends and ends < now:
        fields["status"] = Release.Status.WITHDRAWN
        fields["withdrawn_at"] = ends
        with translation.override(language):  # shown on the release's page
            fields["withdrawal_reason"] = _(
                "Its posting period on the old board ended on %(day)s."
            ) % {"day": timezone.localdate(ends)}
    return fields, warnings


def check_is_article(row):
    """Raise Skip for a deleted article or a reply."""
    if row["USE_AT"].strip().upper() == "N":
        raise Skip(_("deleted on the old board"))
    if row["ANSWER_AT"].strip().upper() == "Y":
        raise Skip(_("a reply to another article"))


def moment(row, column, required=False, end_of_day=False):
    """The time in row[column], read in the office's time zone; None if empty."""
    text = row[column].strip()
    if not text or set(text) <= {"0", "-", ":", " ", "."}:
        if required:
            raise RowProblem(_("%(column)s is empty") % {"column": column})
        return None
    formats = [COMPACT_FORMATS.get(len(text), "")] if text.isdigit() else DATE_FORMATS
    for date_format in formats:
        try:
            parsed = datetime.datetime.strptime(text, date_format)  # noqa: DTZ007 (made aware below, in the office's zone)
        except ValueError:
            continue
        if end_of_day and len(text) <= len("YYYY-MM-DD"):
            parsed = parsed.replace(hour=23, minute=59, second=59)
        if not dates.in_window(parsed.date()) and not (
            end_of_day and parsed.year >= 9999
        ):
            raise RowProblem(
                _("%(column)s is %(value)s, outside %(earliest)s to %(latest)s")
                % {"column": column, "value": text, **dates.window()}
            )
        return timezone.make_aware(parsed)
    raise RowProblem(
        _("%(column)s is %(value)r, not a date")
        % {"column": column, "value": text[:40]}
    )


def hits(text):
    text = text.strip().replace(",", "")
    if not text:
        return 0
    if not text.isdigit():
        raise RowProblem(_("RDCNT is %(value)r, not a number") % {"value": text[:40]})
    return min(int(text), 2**31 - 1)


def body(html, warnings):
    """The old editor's HTML as ours: runs of <br> made paragraphs, then our
    sanitizer (no script, style or <font>; tables kept)."""
    if not _BLOCK.search(html):
        html = "".join(f"<p>{part}</p>" for part in _BREAKS.split(html) if part.strip())
    clean = richtext.to_html(html)
    if len(html) > 100_000 and len(clean) < len(html) // 2:
        warnings.append(
            _("body was %(before)s KB, %(after)s KB once cleaned")
            % {"before": len(html) // 1024, "after": len(clean) // 1024}
        )
    if len(clean) > BODY_MAX_CHARACTERS:
        raise RowProblem(
            _("body is %(size)s KB once cleaned; %(max)s KB at most")
            % {"size": len(clean) // 1024, "max": BODY_MAX_CHARACTERS // 1024}
        )
    if not clean:
        raise RowProblem(_("no body"))
    return clean


def digest(row, files):
    """A fingerprint of what the import reads of the row and its files."""
    data = {"row": {key: row.get(key, "") for key in sorted(row)}, "files": files}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
