"""The default cache's backend on the database, degrading instead of failing.

What the default cache holds (whole release pages, the home page's most-read
lists, the finder's choices) can always be computed again, so when the cache
table cannot be read or written, a read is a miss and a write is skipped, and
the page is served, slower. The Redis backend gets the same behaviour from
django-redis's IGNORE_EXCEPTIONS (settings). The hits cache is not one of these:
releases.hits decides itself what a cache failure means for counting.
"""

import contextlib
import logging

from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)


class FailSoftDatabaseCache(DatabaseCache):
    def get_many(self, keys, version=None):
        return self._or(dict, super().get_many, keys, version=version)

    def set(self, *args, **kwargs):
        return self._or(lambda: None, super().set, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._or(lambda: False, super().add, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._or(lambda: False, super().touch, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._or(lambda: False, super().delete, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._or(lambda: None, super().delete_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._or(lambda: False, super().has_key, *args, **kwargs)

    def _or(self, fallback, operation, *args, **kwargs):
        # Inside a transaction (a save's signal receivers), in a savepoint: a
        # failed statement on PostgreSQL would otherwise abort the whole
        # transaction, and the save with it.
        inside = connection.in_atomic_block
        try:
            with transaction.atomic() if inside else contextlib.nullcontext():
                return operation(*args, **kwargs)
        except DatabaseError:
            logger.warning("Cache table %s unavailable", self._table, exc_info=True)
            return fallback()
