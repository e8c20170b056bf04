"""Health checks for the operator's load balancer and orchestrator.

/healthz says the process is alive and touches nothing else. /readyz says whether
it can serve: the database answers, every cache answers, and no migration is
waiting; 503 with what failed otherwise. Behind the front server it also tells
how far behind the hits counter is ("hits_counter"), which the app serves
without, so it never makes the answer 503. Both are answered before the rest of
the middleware, so host checks, HTTPS redirects, sessions and languages never
stand in the way of a probe, and they are never counted or cached.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from releases import front_log

logger = logging.getLogger(__name__)

_migrated = set()  # databases seen fully migrated; migrations are never undone


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return _answer({"process": "ok"})
        if request.path == "/readyz":
            checks = readiness()
            # Without the database there is no lag to tell, and asking again
            # would only make the probe wait for a second timeout.
            lag = _hits_counter_lag() if checks["database"] == "ok" else None
            return _answer(checks, hits_counter=lag)
        return self.get_response(request)


def readiness():
    """{check: "ok" or what went wrong} for the database, caches and migrations."""
    checks = {}
    for name, check in (
        ("database", _check_database),
        ("cache", _check_caches),
        ("migrations", _check_migrations),
    ):
        if name == "migrations" and checks["database"] != "ok":
            # It would wait for the database a second time, past a probe's patience.
            checks[name] = "not checked: no database"
            continue
        try:
            check()
        except Exception as error:  # any failure means "not ready", with its reason
            logger.warning("Readiness check %s failed: %s", name, error)
            checks[name] = f"failed: {type(error).__name__}"
        else:
            checks[name] = "ok"
    return checks


def _answer(checks, **information):
    healthy = all(result == "ok" for result in checks.values())
    shown = {name: value for name, value in information.items() if value is not None}
    response = JsonResponse({**checks, **shown}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def _hits_counter_lag():
    """The counter's lag as it last saw it, or what stops us knowing; None when
    views are counted in the app."""
    if not settings.HITS_FRONT_LOG:
        return None
    try:
        return front_log.lag(settings.HITS_FRONT_LOG) or "not started"
    except Exception as error:  # the database check says what is wrong
        return f"unknown: {type(error).__name__}"


def _check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_caches():
    for cache in caches.all():
        cache.set("readyz", "ok", timeout=10)
        if cache.get("readyz") != "ok":
            raise RuntimeError("the cache did not keep a value")


def _check_migrations():
    if DEFAULT_DB_ALIAS in _migrated:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations are waiting to be applied")
    _migrated.add(DEFAULT_DB_ALIAS)
