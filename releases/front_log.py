"""Counting release views from the front server's log: exact behind its cache.

nginx answers release pages from its cache, so Django does not see every view.
nginx writes one JSON line (LOG_FORMAT) for every answer to a release page, from
the cache or not, carrying the release and staff marks Django put on the page
(hits.RELEASE_HEADER, hits.STAFF_HEADER). count_batch reads the next whole lines
after its read position, lets hits.views_to_count decide which views count, and
commits the hits, the visits it remembers for de-duplication and the new read
position in one transaction: a crash or restart of any part, the counter, the
database, Redis or nginx (gracefully), never loses or doubles a view.

The read position names the file by its inode and its first line, so log
rotation (rename, then nginx reopens on USR1) loses nothing: the renamed file is
found in the same folder by its inode and read to its end before the new one,
and a new file that happens to get a deleted one's inode is not taken for it.
Compressing a renamed log must wait a rotation (logrotate's delaycompress);
copytruncate would lose lines.

De-duplication is kept in the database (CountedVisit), with the day's salt
(HitSalt), not in Redis: only there can it commit with the hits. Both hold
hashes and salts for a day at most and are left out of backups.
"""

import datetime
import hashlib
import json
import logging
import os
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from releases import hits
from releases.models import CountedVisit, DailyHits, FrontLogPosition, HitSalt, Release

logger = logging.getLogger(__name__)

# The fields of a log line, as deploy/nginx/site.conf.template writes them.
LOG_FIELDS = (
    "at",  # $msec: seconds since the epoch, to the millisecond
    "method",
    "status",
    "forwarded_for",  # as passed to the app: $proxy_add_x_forwarded_for
    "remote_addr",
    "user_agent",
    "purposes",  # the speculative-load headers, joined by spaces
    "release",  # the app's mark: the release's id, empty if none
    "staff",  # "1" when the app saw a member of staff
)
BATCH_BYTES = 8 * 1024 * 1024
# A renamed log is read to its end, then left once nginx has not written to it
# for this long: after USR1 every worker has reopened the new file by then.
ROTATION_GRACE_SECONDS = 2
PRUNE_EVERY_SECONDS = 60
HEAD_BYTES = 4096
_pruned_at = None


@dataclass
class Chunk:
    """Whole lines read from a log file, and where reading continues."""

    lines: list = field(default_factory=list)
    inode: int = 0
    head: str = ""  # a hash of the file's first line, once it has one
    offset: int = 0
    unread_bytes: int = 0


@dataclass
class BatchResult:
    lines: int = 0
    counted: int = 0
    unreadable: int = 0
    unread_bytes: int = 0


@dataclass
class Prepared:
    """A chunk of the log read from start, with its countable views and their
    visitor keys: all of a batch that needs no lock, so that it can be made
    while the batch before it is being written."""

    start: tuple  # (inode, head, offset)
    chunk: Chunk
    countable: list
    unreadable: int


def prepare(path, inode, head, offset, batch_bytes=BATCH_BYTES):
    """The batch that starts at (inode, head, offset) of the log at path."""
    chunk = read_chunk(Path(path), inode, head, offset, batch_bytes)
    entries, unreadable = parse(chunk.lines)
    countable = hits.countable_with_keys(views_of(entries), _Salts().for_day)
    return Prepared((inode, head, offset), chunk, countable, unreadable)


def count_batch(path, batch_bytes=BATCH_BYTES, prepared=None, read_ahead=None):
    """Count the views in the next lines of the log at path; returns a BatchResult.

    prepared, made ahead from where the last batch ended, is used if reading
    is still there and it has lines; else the batch is read here. read_ahead,
    if given, is called with the batch's chunk before its hits are written, to
    start preparing the next one meanwhile.
    """
    path = Path(path)
    with transaction.atomic():
        # Locked until the commit: a second counter waits, then reads on from
        # where this one stopped.
        position, _ = FrontLogPosition.objects.select_for_update().get_or_create(
            log=str(path)
        )
        start = (position.inode, position.head, position.offset)
        if prepared is None or prepared.start != start or not prepared.chunk.lines:
            prepared = prepare(path, *start, batch_bytes)
        chunk = prepared.chunk
        if read_ahead is not None:
            read_ahead(chunk)
        counted = _count(prepared.countable)
        position.inode, position.head = chunk.inode, chunk.head
        position.offset = chunk.offset
        position.unread_bytes = chunk.unread_bytes
        position.read_at = timezone.now()
        position.save()
    return BatchResult(
        lines=len(chunk.lines),
        counted=counted,
        unreadable=prepared.unreadable,
        unread_bytes=chunk.unread_bytes,
    )


def lag(path):
    """How far behind the counter is, as it last saw: {"unread_bytes",
    "read_seconds_ago"}, or None when it has never read the log at path."""
    position = FrontLogPosition.objects.filter(log=str(path)).first()
    if position is None or position.read_at is None:
        return None
    return {
        "unread_bytes": position.unread_bytes,
        "read_seconds_ago": round(
            (timezone.now() - position.read_at).total_seconds(), 1
        ),
    }


def read_chunk(path, inode, head, offset, batch_bytes):
    """Up to batch_bytes of whole lines from offset on in the file named by inode
    and head, following rotation."""
    current = _stat_or_none(path)
    if inode and not _is_same_file(path, current, inode, head):
        rotated = _find_rotated(path.parent, inode, head)
        if rotated is None:
            logger.warning(
                "The log file the hits counter was reading (inode %s) is gone; "
                "reading %s from its start",
                inode,
                path,
            )
        else:
            chunk = _read(rotated, inode, offset, batch_bytes)
            if chunk.lines or not _is_finished(rotated):
                chunk.unread_bytes += current.st_size if current else 0
                return chunk
            logger.info("Read the rotated log %s to its end; now %s", rotated, path)
        inode = offset = 0
    if current is None:
        return Chunk()
    if not inode:
        inode, offset = current.st_ino, 0
    elif current.st_size < offset:
        logger.warning("%s was truncated; reading it from its start", path)
        offset = 0
    return _read(path, inode, offset, batch_bytes)


def parse(lines):
    """(entries of the lines that name a release, how many lines were unreadable)."""
    entries, unreadable = [], 0
    for line in lines:
        try:
            entry = json.loads(line)
            if entry["release"]:
                entries.append(_checked(entry))
        except (ValueError, KeyError, TypeError, OverflowError, OSError):
            unreadable += 1
    if unreadable:
        logger.warning("Skipped %d log lines that could not be read", unreadable)
    return entries, unreadable


def _checked(entry):
    """entry with its numbers and time read, once every field is as nginx writes
    it; raises otherwise, so that no odd line can stop the counter."""
    if not all(isinstance(entry[name], str) for name in LOG_FIELDS):
        raise TypeError("a field is not a string")
    entry["release"] = int(entry["release"])
    entry["status"] = int(entry["status"])
    entry["at"] = datetime.datetime.fromtimestamp(float(entry["at"]), tz=datetime.UTC)
    return entry


def views_of(entries):
    """The views the entries describe that showed a page of a release that exists."""
    releases = Release.objects.only("status", "published_at").in_bulk(
        {entry["release"] for entry in entries}
    )
    return [
        hits.View.of_log_entry(entry, releases[entry["release"]])
        for entry in entries
        if hits.is_served(entry["status"]) and entry["release"] in releases
    ]


def _count(countable):
    """Write the hits of the countable views that count, and remember their
    visitors; returns how many counted."""
    counted = hits.views_to_count(countable, CountedVisits())
    if not counted:
        return 0
    daily = Counter((view.release.pk, view.local_at.date()) for view, _ in counted)
    totals = Counter(view.release.pk for view, _ in counted)
    _write_hits(sorted(totals.items()), sorted(daily.items()))
    _prune_visits(min(view.at for view, _ in counted))
    return len(counted)


def _write_hits(totals, daily):
    """Add to the releases' totals and their DailyHits rows: in id order, so that
    two writers of the same rows never deadlock."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one statement each, not one a row
            releases, counts = zip(*totals, strict=True)
            cursor.execute(_ADD_TO_TOTALS_POSTGRESQL, _as_lists(releases, counts))
            keys, counts = zip(*daily, strict=True)
            releases, days = zip(*keys, strict=True)
            cursor.execute(
                _ADD_TO_DAILY_HITS_POSTGRESQL, _as_lists(releases, days, counts)
            )
            return
        cursor.executemany(_ADD_TO_TOTAL, [(n, release) for release, n in totals])
        cursor.executemany(
            _ADD_TO_DAILY_HITS, [(release, day, n) for (release, day), n in daily]
        )


def _list(sql_type):
    """A parameter holding a list of values of sql_type as one string (_as_lists):
    passed as it is, where a Python list would be quoted value by value."""
    return f"string_to_array(%s, ',')::{sql_type}[]"


def _as_lists(*columns):
    """Each column's values as one comma-separated string (their values hold no
    commas: ids, numbers, dates, times and hex hashes)."""
    return [",".join(map(str, column)) for column in columns]


_RELEASES = Release._meta.db_table
_ADD_TO_TOTAL = f"UPDATE {_RELEASES} SET hit_count = hit_count + %s WHERE id = %s"
_ADD_TO_TOTALS_POSTGRESQL = f"""
    UPDATE {_RELEASES} SET hit_count = {_RELEASES}.hit_count + added.hits
    FROM unnest({_list("bigint")}, {_list("integer")}) AS added(release_id, hits)
    WHERE {_RELEASES}.id = added.release_id
"""
_DAILY_HITS = DailyHits._meta.db_table
_ON_CONFLICT_ADD_HITS = f"""
    ON CONFLICT (release_id, day)
    DO UPDATE SET hits = {_DAILY_HITS}.hits + EXCLUDED.hits
"""
_ADD_TO_DAILY_HITS = f"""
    INSERT INTO {_DAILY_HITS} (release_id, day, hits) VALUES (%s, %s, %s)
    {_ON_CONFLICT_ADD_HITS}
"""
_ADD_TO_DAILY_HITS_POSTGRESQL = f"""
    INSERT INTO {_DAILY_HITS} (release_id, day, hits)
    SELECT * FROM unnest({_list("bigint")}, {_list("date")}, {_list("integer")})
    {_ON_CONFLICT_ADD_HITS}
"""


class CountedVisits:
    """The visitors counted for each release within the cooldown, as the log
    counter keeps them (CountedVisit rows): see hits.views_to_count."""

    CHUNK = 1000  # rows a statement on SQLite, which takes at most 32,766 values

    def add(self, candidates):
        """Record each (release, visitor, at) whose visitor's last count has
        expired by at, or who was never counted; the (release, visitor) pairs
        recorded. Through the unique index, whatever the table's statistics."""
        added = set()
        with connection.cursor() as cursor:
            for statement, values in self._upserts(candidates, _ONLY_IF_EXPIRED):
                cursor.execute(statement, values)
                added.update(cursor.fetchall())
        return added

    def record(self, counted):
        """Record (release, visitor, at) counts decided by the caller."""
        with connection.cursor() as cursor:
            for statement, values in self._upserts(counted, ""):
                cursor.execute(statement, values)

    def last_counted(self, pairs):
        """{(release, visitor): when last counted} for those of pairs counted."""
        visitors = sorted({visitor for _, visitor in pairs})
        found = {}
        for start in range(0, len(visitors), self.CHUNK):
            for release, visitor, counted_at in CountedVisit.objects.filter(
                visitor__in=visitors[start : start + self.CHUNK]
            ).values_list("release_id", "visitor", "counted_at"):
                if (release, visitor) in pairs:
                    found[release, visitor] = counted_at
        return found

    def _upserts(self, visits, condition):
        """(statement, values) to upsert the latest of visits, in key order."""
        latest = {(release, visitor): at for release, visitor, at in visits}
        cooldown = _cooldown()
        rows = [
            (release, visitor, at, at + cooldown)
            for (release, visitor), at in sorted(latest.items())
        ]
        tail = (
            f" ON CONFLICT (visitor, release_id) DO UPDATE SET "
            "counted_at = excluded.counted_at, until = excluded.until"
            f"{condition} RETURNING release_id, visitor"
        )
        head = f"INSERT INTO {_VISITS} (release_id, visitor, counted_at, until) "
        if connection.vendor == "postgresql":
            if rows:  # times as seconds since the epoch: quicker to write
                columns = _as_lists(
                    *zip(
                        *(
                            (release, visitor, at.timestamp(), until.timestamp())
                            for release, visitor, at, until in rows
                        ),
                        strict=True,
                    )
                )
                yield head + _UNNEST_VISITS + tail, columns
            return
        for start in range(0, len(rows), self.CHUNK):
            chunk = rows[start : start + self.CHUNK]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            yield (
                head + f"VALUES {values}" + tail,
                [
                    value
                    for release, visitor, at, until in chunk
                    for value in (release, visitor, _db_time(at), _db_time(until))
                ],
            )


_VISITS = CountedVisit._meta.db_table
_UNNEST_VISITS = (
    "SELECT release_id, visitor, to_timestamp(counted_at), to_timestamp(until) "
    f"FROM unnest({_list('bigint')}, {_list('varchar')}, {_list('float8')}, "
    f"{_list('float8')}) AS visit(release_id, visitor, counted_at, until)"
)
# The visitor's last count has expired by this view.
_ONLY_IF_EXPIRED = f" WHERE {_VISITS}.until <= excluded.counted_at"


def _cooldown():
    return datetime.timedelta(seconds=settings.HITS_COOLDOWN)


def _db_time(at):
    return connection.ops.adapt_datetimefield_value(at)


def _prune_visits(oldest_counted_at):
    """Forget visits too old to matter to views logged from now on; once a minute.

    Lines are logged in about the order they were answered; the extra minute
    covers those answered a little earlier than they were logged."""
    global _pruned_at
    now = time.monotonic()
    if _pruned_at is not None and now - _pruned_at < PRUNE_EVERY_SECONDS:
        return
    _pruned_at = now
    before = oldest_counted_at - datetime.timedelta(seconds=settings.HITS_COOLDOWN + 60)
    CountedVisit.objects.filter(counted_at__lt=before).delete()


class _Salts:
    """The days' salts for one batch, from the database; a missing one is made,
    and salts older than yesterday are deleted then."""

    def __init__(self):
        self.salts = {}

    def for_day(self, day):
        if day not in self.salts:
            salt, created = HitSalt.objects.get_or_create(
                day=day, defaults={"salt": secrets.token_hex(32)}
            )
            if created:
                yesterday = timezone.localdate() - datetime.timedelta(days=1)
                HitSalt.objects.filter(day__lt=min(yesterday, day)).delete()
            self.salts[day] = bytes.fromhex(salt.salt)
        return self.salts[day]


def _read(path, inode, offset, batch_bytes):
    with open(path, "rb") as log:
        size = os.fstat(log.fileno()).st_size
        head = _head(log)
        log.seek(offset)
        data = log.read(batch_bytes)
    end = data.rfind(b"\n") + 1
    if not end and len(data) == batch_bytes:
        end = len(data)  # no line is this long: let parse report it unreadable
    lines = data[:end].splitlines()
    return Chunk(lines, inode, head, offset + end, size - offset - end)


def _head(log):
    """A hash of the open file's first line ("" until it has one): its time and
    client tell one log file from another."""
    log.seek(0)
    first = log.read(HEAD_BYTES)
    end = first.find(b"\n")
    return hashlib.sha256(first[:end]).hexdigest()[:32] if end >= 0 else ""


def _head_of(path):
    try:
        with open(path, "rb") as log:
            return _head(log)
    except FileNotFoundError:
        return None


def _is_same_file(path, current, inode, head):
    if current is None or current.st_ino != inode:
        return False
    return not head or _head_of(path) in (head, "")


def _stat_or_none(path):
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _find_rotated(folder, inode, head):
    """The file in folder with this inode and first line, if one is left."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if (
                    entry.is_file(follow_symlinks=False)
                    and entry.inode() == inode
                    and (not head or _head_of(entry.path) == head)
                ):
                    return Path(entry.path)
    except FileNotFoundError:
        pass
    return None


def _is_finished(rotated):
    """Whether nginx has stopped writing to a renamed log."""
    return time.time() - rotated.stat().st_mtime > ROTATION_GRACE_SECONDS
