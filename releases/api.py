"""The open data API, /api/v1/: what the public site shows, as JSON (django-ninja).

Releases are those with a public page (published and live, or withdrawn with
their notice); drafts, releases in review and scheduled ones answer 404 by any
way of asking. Lists keep one order (newest first, then by number) and come a
page at a time. Every answer carries an ETag (If-None-Match gets 304; a release
also Last-Modified, and If-Modified-Since), public
caching headers and CORS for GET; each client address may ask API_RATE times.
Bad parameters get a 400 naming them. The OpenAPI document is
/api/v1/openapi.json and its readable page /api/v1/docs (Swagger UI, served
by the site).
"""

import datetime
import functools
import hashlib
import math
import secrets
from typing import Annotated

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date
from ninja import NinjaAPI, Path, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from ninja.throttling import AnonRateThrottle
from pydantic import Field

from people.models import Municipality, Official, Organization
from releases import api_schemas as schemas
from releases import dates, hits, reports, search
from releases.api_records import public_releases, records
from releases.models import Release, Topic

PREFIX = "/api/v1/"
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
LIST_SECONDS = 60  # how long a client or proxy may keep a list
DETAIL_CACHE = "api:release:{pk}:{updated}:{language}"
LIST_CACHE = "api:releases:{version}:{query}"
COUNT_CACHE = "api:releases-count:{version}:{filters}"
LIST_VERSION_KEY = "api:releases-version"


class ClientRate(AnonRateThrottle):
    """API_RATE requests a client address (read at each request), the address
    read as hit counting reads it (HITS_TRUSTED_PROXIES)."""

    def __init__(self):
        super().__init__(settings.API_RATE)

    def allow_request(self, request):
        self.rate = settings.API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_ident(self, request):
        return hits.client_address(
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            request.META.get("REMOTE_ADDR", ""),
        )


api = NinjaAPI(
    title="Gyeonggi Province press releases",
    version="1",
    description=(
        "Press releases of the Gyeonggi Provincial Government as published on "
        "its site, with their hit counts. Free to reuse under the licence each "
        "release names."
    ),
    urls_namespace="api",
    throttle=[ClientRate()],
)


CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    # A browser asking again with these must first ask whether it may.
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def cors_preflight(get_response):
    """Middleware: a browser's CORS preflight for the API gets its 204."""

    def middleware(request):
        if request.method == "OPTIONS" and request.path.startswith(PREFIX):
            return HttpResponse(status=204, headers=CORS_HEADERS)
        return get_response(request)

    return middleware


def open_data(seconds):
    """ETag (and Last-Modified, where the view sets it) with 304, Cache-Control
    and CORS for an API view's answer."""

    def decorate(view):
        @functools.wraps(view)
        def answer(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            if response.status_code != 200:
                return response
            patch_cache_control(response, public=True, max_age=seconds)
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            last_modified = response.get("Last-Modified")
            return get_conditional_response(
                request,
                etag=response["ETag"],
                last_modified=last_modified and parse_http_date(last_modified),
                response=response,
            )

        return answer

    return decorate


# Errors ----------------------------------------------------------------------


@api.exception_handler(ValidationError)
def bad_parameters(request, error):
    return api.create_response(
        request,
        {
            "errors": [
                {"parameter": str(problem["loc"][-1]), "message": problem["msg"]}
                for problem in error.errors
            ]
        },
        status=400,
    )


class BadParameter(HttpError):
    def __init__(self, parameter, message):
        super().__init__(400, message)
        self.parameter = parameter


@api.exception_handler(BadParameter)
def bad_parameter(request, error):
    return api.create_response(
        request,
        {"errors": [{"parameter": error.parameter, "message": str(error)}]},
        status=400,
    )


@api.exception_handler(HttpError)
def http_error(request, error):
    response = api.create_response(
        request, {"errors": [{"message": str(error)}]}, status=error.status_code
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


ERRORS = {400: schemas.Errors, 404: schemas.Errors, 429: schemas.Errors}


# Releases --------------------------------------------------------------------


# A board number: a positive PostgreSQL integer (a larger one cannot be asked).
NUMBER = Annotated[int, Path(ge=1, le=2_147_483_647)]
# What a slug may hold (Django's SlugField): anything else names no tag.
SLUG = {"pattern": r"^[-a-zA-Z0-9_]+$", "max_length": 100}


class ReleaseFilters(Schema):
    published_from: datetime.date | None = Field(
        None, description="First day of publication, YYYY-MM-DD."
    )
    published_to: datetime.date | None = Field(
        None, description="Last day of publication, YYYY-MM-DD."
    )
    municipality: str | None = Field(None, **SLUG, description="A municipality's slug.")
    official: str | None = Field(None, **SLUG, description="An official's slug.")
    topic: str | None = Field(None, **SLUG, description="A topic's slug.")
    department: str | None = Field(None, **SLUG, description="A department's slug.")
    language: str | None = Field(None, pattern="^(en|ko)$", description="en or ko.")
    q: str | None = Field(
        None,
        max_length=200,
        # No control characters (a NUL cannot even reach PostgreSQL).
        pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        description="Words to search, as on the site.",
    )
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


TAG_FILTERS = {
    "municipality": (Municipality, "municipalities"),
    "official": (Official, "officials"),
    "topic": (Topic, "topics"),
    "department": (Organization, "department"),
}


def filtered(filters):
    releases = public_releases().order_by("-published_at", "-number")
    for name in ("published_from", "published_to"):
        _check_day(name, getattr(filters, name))
    if filters.published_from:
        releases = releases.filter(published_at__date__gte=filters.published_from)
    if filters.published_to:
        releases = releases.filter(published_at__date__lte=filters.published_to)
    for name, (model, field) in TAG_FILTERS.items():
        slug = getattr(filters, name)
        if slug is None:
            continue
        tag = model.objects.filter(slug=slug).first()
        if tag is None:
            raise BadParameter(name, f"No {name} has the slug {slug!r}.")
        releases = releases.filter(**{field: tag})
    if filters.language:
        releases = releases.filter(language=filters.language)
    if filters.q and filters.q.strip():
        releases = search.search(releases, filters.q)
    return releases


@api.get(
    "/releases",
    response={200: schemas.ReleasePage, **ERRORS},
    summary="Public releases, newest first",
)
@decorate_view(open_data(LIST_SECONDS))
def release_list(request, filters: Query[ReleaseFilters]):
    # A page, and the count of its list, are kept LIST_SECONDS, or until a
    # release or its parts change.
    version = cache.get_or_set(LIST_VERSION_KEY, secrets.token_hex(8), None)
    key = LIST_CACHE.format(
        version=version,
        query=_digest(f"{request.get_full_path()}|{request.get_host()}"),
    )
    page = cache.get(key)
    if page is None:
        page = schemas.ReleasePage.model_validate(
            _page_of(request, filters, version)
        ).model_dump(mode="json")
        cache.set(key, page, LIST_SECONDS)
    # Already in the schema's shape: sent as it is, not validated again.
    return api.create_response(request, page, status=200)


def _page_of(request, filters, version):
    releases = filtered(filters)
    # Every page of a list has the same count: worked out once.
    count_key = COUNT_CACHE.format(
        version=version,
        filters=_digest(filters.model_dump_json(exclude={"page", "page_size"})),
    )
    count = cache.get(count_key)
    if count is None:
        count = releases.count()
        cache.set(count_key, count, LIST_SECONDS)
    pages = max(math.ceil(count / filters.page_size), 1)
    if filters.page > pages:
        raise HttpError(404, f"There are {pages} pages of {filters.page_size}.")
    start = (filters.page - 1) * filters.page_size
    # The page's ids from the list's index alone (in its order, a search's
    # included), then only their rows.
    ids = list(releases.values_list("pk", flat=True)[start : start + filters.page_size])
    rows = public_releases().in_bulk(ids)
    return {
        "count": count,
        "page": filters.page,
        "pages": pages,
        "next": _page_url(request, filters.page + 1) if filters.page < pages else None,
        "previous": _page_url(request, filters.page - 1) if filters.page > 1 else None,
        "results": records([rows[pk] for pk in ids], request),
    }


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def forget_lists(**kwargs):
    """Signal receiver: a release or a part of one changed; once that commits,
    no list page kept from before is served again."""
    transaction.on_commit(lambda: cache.delete(LIST_VERSION_KEY))


@api.get(
    "/releases/{number}",
    response={200: schemas.Release, **ERRORS},
    summary="One public release",
)
@decorate_view(open_data(LIST_SECONDS))
def release_detail(request, number: NUMBER):
    row = _public_row(number)
    # Kept until the release is saved again; its hits are read fresh each time.
    key = DETAIL_CACHE.format(
        pk=row.pk, updated=row.updated_at.isoformat(), language=request.LANGUAGE_CODE
    )
    data = cache.get(key)
    if data is None:
        [record] = records([public_releases().get(pk=row.pk)], request)
        data = schemas.Release.model_validate(record).model_dump(mode="json")
        cache.set(key, data, settings.RELEASE_PAGE_SECONDS)
    # Already in the schema's shape: sent as it is, not validated again.
    response = api.create_response(request, {**data, "hits": row.hit_count}, status=200)
    response["Last-Modified"] = http_date(row.updated_at.timestamp())
    return response


class HitsRange(Schema):
    start: datetime.date | None = Field(
        None, description="First day; default 29 days before end."
    )
    end: datetime.date | None = Field(None, description="Last day; default today.")


@api.get(
    "/releases/{number}/hits",
    response={200: schemas.ReleaseHits, **ERRORS},
    summary="A release's hits by day",
)
@decorate_view(open_data(LIST_SECONDS))
def release_hits(request, number: NUMBER, days: Query[HitsRange]):
    row = _public_row(number)
    _check_day("end", days.end)  # before the default start is counted back from it
    end = days.end or timezone.localdate()
    start = days.start or end - datetime.timedelta(days=29)
    try:
        date_range = reports.Range.asked(start, end)
    except DjangoValidationError as error:
        raise BadParameter("start", " ".join(error.messages)) from error
    daily = reports.by_day(date_range, Release.objects.filter(pk=row.pk))
    return {
        "number": number,
        "start": date_range.start,
        "end": date_range.end,
        "total": sum(count for _day, count in daily),
        "days": [{"day": day, "hits": count} for day, count in daily],
    }


def _check_day(name, day):
    """A 400 naming the parameter for a day outside releases.dates' window."""
    if day is not None and not dates.in_window(day):
        window = dates.window()
        raise BadParameter(
            name, f"Give a day from {window['earliest']} to {window['latest']}."
        )


def _public_row(number):
    row = (
        Release.objects.visible()
        .only("pk", "updated_at", "hit_count")
        .filter(number=number)
        .first()
    )
    if row is None:
        raise HttpError(404, f"No public release has the number {number}.")
    return row


def _page_url(request, page):
    query = request.GET.copy()
    query["page"] = page
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


# Tags ------------------------------------------------------------------------


@api.get(
    "/municipalities", response=list[schemas.Municipality], summary="Municipalities"
)
@decorate_view(open_data(LIST_SECONDS))
def municipality_list(request):
    return Municipality.objects.select_related("parent").order_by("kind", "name")


@api.get(
    "/officials", response=list[schemas.Official], summary="Officials and their posts"
)
@decorate_view(open_data(LIST_SECONDS))
def official_list(request):
    return Official.objects.prefetch_related(
        "positions__municipality", "positions__organization"
    ).order_by("name")


@api.get("/topics", response=list[schemas.Named], summary="Topics")
@decorate_view(open_data(LIST_SECONDS))
def topic_list(request):
    return Topic.objects.order_by("name")
