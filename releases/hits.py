"""Counting hits: one view of a published release's page by one visitor.

A visitor is counted at most once per release per HITS_COOLDOWN seconds. The
visitor is known only by a keyed hash of (client IP, user agent) whose key is a
random salt that changes every day and is forgotten the day after, so nothing
stored can be traced back to a person. Bots, link previews, prefetches, HEAD
requests, unpublished releases, staff (unless HITS_COUNT_STAFF) and responses
other than 200 (or 304: the browser's copy is current and shown) are not
counted. A counting failure is logged and never breaks the page.

Two paths apply these rules. Under `make run` each view is counted as Django
answers it (record). Behind the front server (HITS_FRONT_LOG set) pages may be
answered from nginx's cache, so Django only marks its answer with the release
(RELEASE_HEADER, STAFF_HEADER), nginx logs every answer with that mark, and
releases/front_log.py counts the logged views with views_to_count, in one
transaction with its read position.
"""

import datetime
import hmac
import logging
import re
import secrets
import socket
import time
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.template.response import SimpleTemplateResponse
from django.utils import timezone

from releases.models import DailyHits, Release

logger = logging.getLogger(__name__)

# Link-preview fetchers common in Korea that the crawler list does not know.
EXTRA_BOTS = re.compile(r"kakaotalk-scrap|kakaostory-og-reader|daumoa|naverbot", re.I)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
# Answers that showed the page: a 304 tells the browser its copy is current.
SERVED_STATUSES = frozenset({200, 304})
# Response headers telling the front server's log which release a page is and
# whether a member of staff asked; cached with the page (staff pages never are).
RELEASE_HEADER = "X-Hit-Release"
STAFF_HEADER = "X-Hit-Staff"
_crawler_detect = CrawlerDetect()
_salts = {}


@dataclass(frozen=True)
class View:
    """One view of a release page as the counting rules see it.

    Made from a request, or from a line of the front server's log, so that the
    same rules decide for both.
    """

    release: Release
    method: str
    user_agent: str
    purposes: str  # the values of the speculative-load headers, joined
    client_ip: str | None
    is_staff: bool
    at: datetime.datetime

    @property
    def local_at(self):
        """at in the office's time zone, whose days the hits are counted by."""
        return self.at.astimezone(timezone.get_default_timezone())

    @classmethod
    def of_request(cls, request, release):
        return cls(
            release=release,
            method=request.method,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            purposes=" ".join(request.META.get(h, "") for h in PREFETCH_HEADERS),
            client_ip=client_ip(request),
            is_staff=_is_staff(request),
            at=timezone.now(),
        )

    @classmethod
    def of_log_entry(cls, entry, release):
        """The view a line of the front server's log describes, as front_log
        reads it (its time already a datetime)."""
        return cls(
            release=release,
            method=entry["method"],
            user_agent=entry["user_agent"],
            purposes=entry["purposes"],
            client_ip=client_address(entry["forwarded_for"], entry["remote_addr"]),
            is_staff=entry["staff"] == "1",
            at=entry["at"],
        )


def record(request, release, response):
    """Count this view of release once response is a rendered 200 page, if it qualifies.

    The release's hit_count is raised in memory at once so that the page shows
    the count including this view; the database is written after rendering.
    Behind the front server the response is only marked, for its log.
    """
    if settings.HITS_FRONT_LOG:
        _mark_for_front_log(request, release, response)
        return
    try:
        view = View.of_request(request, release)
        if not (is_countable(view) and _is_new_visit(view)):
            return
        release.hit_count += 1
        if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
            response.add_post_render_callback(
                lambda rendered: _increment_if_served(rendered, release)
            )
        else:
            _increment_if_served(response, release)
    except Exception:  # a counting failure must never break the page
        logger.exception("Hit not recorded for release %s", release.pk)


def is_countable(view):
    """Whether view is one a person made of a live release: a GET, not a bot, not a
    speculative load, not staff (unless HITS_COUNT_STAFF)."""
    if not settings.HITS_ENABLED or view.method != "GET":
        return False
    release = view.release
    if not release.is_live_at(view.at):
        return False
    if "prefetch" in view.purposes.lower() or "prerender" in view.purposes.lower():
        return False
    if view.is_staff and not settings.HITS_COUNT_STAFF:
        return False
    return not is_bot(view.user_agent)


def is_served(status):
    """Whether an answer with this HTTP status showed the visitor the page."""
    return status in SERVED_STATUSES


def countable_with_keys(views, salt_for):
    """(view, its visitor_keys) for each of views that is countable; salt_for(day)
    gives the day's salt. What views_to_count decides from."""
    return [
        (view, visitor_keys(view, salt_for)) for view in views if is_countable(view)
    ]


def views_to_count(countable, visits):
    """(view, visitor key) for each of countable (from countable_with_keys, logged
    in this order) that counts: whose visitor was not counted for its release
    within the cooldown, before it or earlier in countable.

    visits is the store of counted visits, keyed by (release pk, visitor key)
    pairs: visits.add(candidates) records each (release pk, key, at) whose
    visitor was not counted within the cooldown before at and returns the pairs
    it recorded; visits.last_counted(pairs) tells when each pair was last
    counted; visits.record(counted) records counts decided here.
    """
    if settings.HITS_COOLDOWN <= 0:
        return [(view, keys[0]) for view, keys in countable]
    cooldown = datetime.timedelta(seconds=settings.HITS_COOLDOWN)
    # Just after midnight a visitor may have been counted under the day before's key.
    day_before = visits.last_counted(
        {(view.release.pk, keys[1]) for view, keys in countable if len(keys) > 1}
    )
    first, repeats = {}, []
    for view, keys in countable:
        earlier = day_before.get((view.release.pk, keys[-1])) if keys[1:] else None
        if earlier is not None and view.at - earlier < cooldown:
            continue
        pair = (view.release.pk, keys[0])
        if pair in first:
            repeats.append((view, pair))
        else:
            first[pair] = view
    added = visits.add([(*pair, view.at) for pair, view in first.items()])
    counted = [(view, pair) for pair, view in first.items() if pair in added]
    if repeats:  # the same visitor again within views: decided in order, here
        last = {pair: first[pair].at for pair in added}
        last.update(
            visits.last_counted({pair for _, pair in repeats if pair not in added})
        )
        counted_again = []
        for view, pair in repeats:
            if pair in last and view.at - last[pair] < cooldown:
                continue
            last[pair] = view.at
            counted_again.append((view, pair))
        visits.record([(*pair, view.at) for view, pair in counted_again])
        counted += counted_again
    return [(view, key) for view, (_, key) in counted]


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or X-Forwarded-For past trusted proxies.

    None when the request carries no valid address.
    """
    return client_address(
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        request.META.get("REMOTE_ADDR", ""),
    )


def client_address(forwarded_for, remote_addr):
    """The client's address from an X-Forwarded-For value and the peer's address.

    With N trusted proxies, each appends the address it saw, so the client is the
    Nth entry from the right; entries further left are whatever the client sent
    and are never believed.
    """
    trusted = settings.HITS_TRUSTED_PROXIES
    if trusted:
        forwarded = [part.strip() for part in forwarded_for.split(",")]
        if len(forwarded) >= trusted:
            address = _parse_ip(forwarded[-trusted])
            if address:
                return address
    return _parse_ip(remote_addr)


def _parse_ip(value):
    """The address in value, normalised (so IPv6 spellings agree), or None."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.7:443"
        value = value.split(":")[0]
    # The C library's parser: many times faster than ipaddress, for the log
    # counter's tens of thousands of addresses a second.
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_ntop(family, socket.inet_pton(family, value))
        except (OSError, ValueError):
            continue
    return None


def visitor_key(request, day):
    """A keyed hash naming this visitor on day; changes with the daily salt."""
    return _visitor_key(
        client_ip(request), request.META.get("HTTP_USER_AGENT", ""), _salt_for(day)
    )


def visitor_keys(view, salt_for):
    """The keys view's visitor may have been counted under: the day's, and just
    after midnight the day before's too, while a visit of it can still count
    (the salt is new, so the same visitor has a new key)."""
    at = view.local_at
    day = at.date()
    keys = [_visitor_key(view.client_ip, view.user_agent, salt_for(day))]
    since_midnight = at.hour * 3600 + at.minute * 60 + at.second
    if since_midnight < settings.HITS_COOLDOWN:
        day_before = day - datetime.timedelta(days=1)
        keys.append(_visitor_key(view.client_ip, view.user_agent, salt_for(day_before)))
    return keys


def _visitor_key(address, user_agent, salt):
    message = f"{address or ''}\n{user_agent}"
    return hmac.digest(salt, message.encode(), "sha256")[:16].hex()


def is_bot(user_agent):
    """True for crawlers, link-preview fetchers and clients that give no user agent."""
    user_agent = user_agent.strip()
    return not user_agent or _is_known_bot(user_agent)


@lru_cache(maxsize=4096)
def _is_known_bot(user_agent):
    return bool(EXTRA_BOTS.search(user_agent)) or _crawler_detect.isCrawler(user_agent)


def _is_staff(request):
    """Whether a logged-in staff member asks; only a request with a session cookie
    can be one. Others leave the session unread, so that the page does not vary
    on cookies and a shared cache may keep it."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_staff


def _is_new_visit(view):
    """Whether this visitor was not counted for release within the cooldown.

    True when the hits cache cannot be asked (Redis or the cache table down): a
    returning visitor may then be counted again, but no new visitor is lost.
    """
    if settings.HITS_COOLDOWN <= 0:
        return True
    try:
        return _not_seen_recently(view)
    except Exception as error:  # the cache's errors differ by backend
        _warn_cache_down(error)
        return True


_CACHE_WARNING_SECONDS = 60
_cache_warned_at = None


def _warn_cache_down(error):
    """Say so once a minute at most: while the cache is down, every view fails."""
    global _cache_warned_at
    now = time.monotonic()
    if _cache_warned_at is None or now - _cache_warned_at >= _CACHE_WARNING_SECONDS:
        _cache_warned_at = now
        logger.warning(
            "Hits cache unavailable (%s: %s); counting without de-duplication",
            type(error).__name__,
            error,
        )


def _not_seen_recently(view):
    cache = caches[settings.HITS_CACHE]
    today, *day_before = (
        f"hit:{view.release.pk}:{key}" for key in visitor_keys(view, _salt_for)
    )
    if not cache.add(today, 1, timeout=settings.HITS_COOLDOWN):
        return False
    return all(cache.get(key) is None for key in day_before)


def _salt_for(day):
    """The random salt of day, shared by every worker through the cache.

    It lives until the cooldown after the next midnight, then is forgotten, so
    yesterday's hashes can no longer be recomputed.
    """
    if day in _salts:
        return _salts[day]
    cache = caches[settings.HITS_CACHE]
    key = f"hit-salt:{day.isoformat()}"
    next_midnight = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )
    lifetime = (next_midnight - timezone.now()).total_seconds()
    lifetime += max(settings.HITS_COOLDOWN, 60)
    # At least a minute: the database cache rounds expiry times down to the
    # second, so a salt asked for a past day must not expire before it is read.
    cache.add(key, secrets.token_hex(32), timeout=max(int(lifetime), 60))
    stored = cache.get(key)
    if stored is None:
        raise RuntimeError("The hit salt could not be stored in the cache.")
    salt = _salts[day] = bytes.fromhex(stored)
    for old_day in sorted(_salts)[:-2]:  # today's and yesterday's are enough
        del _salts[old_day]
    return salt


def _mark_for_front_log(request, release, response):
    try:
        response[RELEASE_HEADER] = str(release.pk)
        if _is_staff(request):
            response[STAFF_HEADER] = "1"
    except Exception:  # a counting failure must never break the page
        logger.exception("Page of release %s not marked for counting", release.pk)


def _increment_if_served(response, release):
    if not is_served(response.status_code):
        return
    try:
        _increment(release, timezone.localdate())
    except Exception:  # a counting failure must never break the page
        logger.exception("Hit not recorded for release %s", release.pk)


def _increment(release, day):
    """Add one hit to the release's total and to its row for day, atomically."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        _increment_postgresql(release.pk, day)
        return
    with transaction.atomic():
        Release.objects.filter(pk=release.pk).update(hit_count=F("hit_count") + 1)
        with connection.cursor() as cursor:
            cursor.execute(_UPSERT_DAILY_HITS, [release.pk, day])


_DAILY_HITS = DailyHits._meta.db_table
_UPSERT_DAILY_HITS = f"""
    INSERT INTO {_DAILY_HITS} (release_id, day, hits) VALUES (%s, %s, 1)
    ON CONFLICT (release_id, day) DO UPDATE SET hits = {_DAILY_HITS}.hits + 1
"""

# One statement, so one round trip and its own transaction: it raises the total
# and upserts the day's row together. set_config(..., true) makes this one
# transaction commit without waiting for the WAL flush (synchronous_commit off):
# a crash may lose the last fraction of a second of hits (at most three times
# wal_writer_delay, which is 200 ms by default) but never corrupts or half-applies
# them.
_INCREMENT_POSTGRESQL = f"""
    WITH no_flush_wait AS (
        SELECT set_config('synchronous_commit', 'off', true)
    ), total AS (
        UPDATE {Release._meta.db_table} SET hit_count = hit_count + 1
        WHERE id = %(release)s RETURNING id
    )
    INSERT INTO {_DAILY_HITS} (release_id, day, hits)
    SELECT total.id, %(day)s, 1 FROM total, no_flush_wait
    ON CONFLICT (release_id, day) DO UPDATE SET hits = {_DAILY_HITS}.hits + 1
"""


def _increment_postgresql(release_id, day):
    with connection.cursor() as cursor:
        cursor.execute(_INCREMENT_POSTGRESQL, {"release": release_id, "day": day})
