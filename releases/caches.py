"""The default cache's backend on the database, degrading instead of failing.

What the default cache holds (whole release pages, the home page's most-read
lists, the finder's choices) can always be computed again, so when the cache
table cannot be read or written, a read is a miss and a write is skipped, and
the page is served, slower. The Redis backend gets the same behaviour from
django-redis's IGNORE_EXCEPTIONS (settings). The hits cache is not one of these:
releases.hits decides itself what a cache failure means for counting.
"""

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

    # Django's own writes run in a savepoint; its deletes do not, and one that
    # fails inside a transaction (a save's signal receiver) would abort it on
    # PostgreSQL, and the save with it.
    def delete(self, *args, **kwargs):
        return self._or(lambda: False, self._saved(super().delete), *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        delete_many = self._saved(super().delete_many)
        return self._or(lambda: None, delete_many, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._or(lambda: False, super().has_key, *args, **kwargs)

    @staticmethod
    def _saved(operation):
        """operation, in a savepoint when inside a transaction."""

        def in_savepoint(*args, **kwargs):
            if not connection.in_atomic_block:
                return operation(*args, **kwargs)
            with transaction.atomic():
                return operation(*args, **kwargs)

        return in_savepoint

    def _or(self, fallback, operation, *args, **kwargs):
        try:
            return operation(*args, **kwargs)
        except DatabaseError:
            logger.warning("Cache table %s unavailable", self._table, exc_info=True)
            return fallback()
