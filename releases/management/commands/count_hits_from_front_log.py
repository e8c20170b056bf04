import logging
import signal
import time

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
        while not self.stopping:
            try:
                result = front_log.count_batch(path)
            except (OperationalError, InterfaceError) as error:
                # The database is unreachable; the batch was rolled back and is
                # read again once it is back. Other errors stop the counter.
                logger.warning("Hits not counted yet, retrying: %s", error)
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
        summary.log_every(0)
        self.stdout.write(
            f"Counted {summary.total_counted} views of {summary.total_lines} lines."
        )

    def stop(self, signum, frame):
        self.stopping = True


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
