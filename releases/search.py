"""Finding releases by text: ranked full-text search on PostgreSQL, else a fallback.

On PostgreSQL each release keeps a search vector (title weighted A, summary B,
body C, English stemming, so "semiconductors" finds "semiconductor"), indexed
with GIN. Korean has no stemmer in PostgreSQL, so text with Hangul also matches
by substring, which trigram (pg_trgm) GIN indexes keep fast. Title matches rank
first. Other databases match every word as a substring of title, summary or body.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

CONFIG = "english"
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("summary", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
)
TITLE_BONUS = 10.0  # larger than any ts_rank, so title matches come first


def search(queryset, text):
    """queryset narrowed to releases matching text, annotated with relevance."""
    text = " ".join(text.split())
    if not text:
        return queryset
    title_match = Case(
        When(title__icontains=text, then=Value(TITLE_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    if connection.vendor != "postgresql":
        return _contains_every_word(queryset, text).annotate(relevance=title_match)
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    matches = Q(search_vector=query)
    if HANGUL.search(text):
        matches |= _contains(text)
    return queryset.filter(matches).annotate(
        relevance=SearchRank(F("search_vector"), query) + title_match
    )


def update_vector(release):
    """Store the release's search vector (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        type(release).objects.filter(pk=release.pk).update(search_vector=VECTOR)


def _contains(word):
    return (
        Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    )


def _contains_every_word(queryset, text):
    for word in text.split():
        queryset = queryset.filter(_contains(word))
    return queryset
