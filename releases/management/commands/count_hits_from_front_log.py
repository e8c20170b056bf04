import logging
import signal
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)

from releases import front_log

logger = logging.getLogger("releases.front_log")

SUMMARY_SECONDS = 10
RETRY_SECONDS = 1


class Command(BaseCommand):
    help = (
        "Count release views from the front server's log (HITS_FRONT_LOG), "
        "following it until stopped (SIGTERM or Ctrl-C ends it after the batch "
        "at hand). Exactly once: each batch commits with its read position."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--log", default=None, help="The log to read (default: HITS_FRONT_LOG)."
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Count what the log holds now, then stop.",
        )
        parser.add_argument(
            "--poll",
            type=float,
            default=0.25,
            help="Seconds to wait at the end of the log (default 0.25).",
        )

    def handle(self, *args, log, once, poll, **options):
        path = log or settings.HITS_FRONT_LOG
        if not path:
            raise CommandError("Set HITS_FRONT_LOG or give --log.")
        if poll <= 0:
            raise CommandError("--poll must be more than 0 seconds.")
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        logger.info("Counting hits from %s", path)
        summary = Summary()
        # The next batch is read and judged in a thread of its own while this
        # one's hits are written: the two wait on different things.
        with ReadAhead(path) as ahead:
            self.count(path, once, poll, summary, ahead)
        summary.log_every(0)
        self.stdout.write(
            f"Counted {summary.total_counted} views of {summary.total_lines} lines."
        )

    def count(self, path, once, poll, summary, ahead):
        while not self.stopping:
            try:
                result = front_log.count_batch(
                    path, prepared=ahead.take(), read_ahead=ahead.start
                )
            except (OperationalError, InterfaceError) as error:
                # The database is unreachable; the batch was rolled back and is
                # read again once it is back. Other errors stop the counter.
                logger.warning("Hits not counted yet, retrying: %s", error)
                ahead.discard()
                connection.close()
                time.sleep(RETRY_SECONDS)
                continue
            summary.add(result)
            if result.lines == 0:
                if once:
                    break
                close_old_connections()
                time.sleep(poll)
            summary.log_every(SUMMARY_SECONDS)

    def stop(self, signum, frame):
        self.stopping = True


class ReadAhead:
    """Prepares the batch after the one being counted, in a thread of its own."""

    def __init__(self, path):
        self.path = path
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.future = None

    def start(self, chunk):
        self.future = self.pool.submit(
            self._prepare, chunk.inode, chunk.head, chunk.offset
        )

    def take(self):
        """The batch prepared ahead, or None (count_batch then reads its own)."""
        future, self.future = self.future, None
        if future is None:
            return None
        try:
            return future.result()
        except (OperationalError, InterfaceError):
            return None  # read again, in the batch's own transaction

    def discard(self):
        self.take()

    def _prepare(self, inode, head, offset):
        try:
            return front_log.prepare(self.path, inode, head, offset)
        finally:
            close_old_connections()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.discard()
        self.pool.submit(close_this_threads_connection).result()
        self.pool.shutdown()


def close_this_threads_connection():
    connection.close()  # the proxy names the calling thread's connection


class Summary:
    """What the counter did, logged every so often rather than batch by batch."""

    def __init__(self):
        self.total_lines = self.total_counted = 0
        self.lines = self.counted = self.unreadable = self.unread_bytes = 0
        self.logged_at = time.monotonic()

    def add(self, result):
        self.lines += result.lines
        self.counted += result.counted
        self.unreadable += result.unreadable
        self.unread_bytes = result.unread_bytes
        self.total_lines += result.lines
        self.total_counted += result.counted

    def log_every(self, seconds):
        if time.monotonic() - self.logged_at < seconds or not self.lines:
            return
        logger.info(
            "Read %d log lines: %d views counted, %d not counted, %d unreadable; "
            "%d bytes left to read",
            self.lines,
            self.counted,
            self.lines - self.counted - self.unreadable,
            self.unreadable,
            self.unread_bytes,
        )
        self.lines = self.counted = self.unreadable = 0
        self.logged_at = time.monotonic()
