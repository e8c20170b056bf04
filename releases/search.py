"""Finding releases by text, ranked, the same way on PostgreSQL and SQLite.

What a visitor types is read once, by parse(), as web search engines read it:
words must all match, "quoted words" and hyphenated-words match as a phrase,
-word excludes, and `or` offers alternatives. That one reading is then written
as each database's own full-text query:

- PostgreSQL: each release keeps a search vector (title weighted A, summary B,
  body C, its attachments' text versions D; English stemming, so
  "semiconductors" finds "semiconductor"), indexed with GIN.
- SQLite (the embedded default): an FTS5 table of the same three columns (the
  attachments' words in the body's) with the porter stemmer, kept by index(),
  its rows deleted with their release by a trigger (migration 0012).

Neither stems Korean, so a query with Hangul also finds releases that hold it as
part of a word: by trigram indexes, pg_trgm on PostgreSQL, FTS5's trigram
tokenizer on SQLite. Title matches rank first.
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags

CONFIG = "english"
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("summary", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
    + SearchVector("attachments_text", weight="D", config=CONFIG)
)
TITLE_BONUS = 10.0  # larger than any ts_rank or bm25 score, so title matches lead
FTS_TABLE = "release_search"
TRIGRAM_TABLE = "release_search_trigram"
# PostgreSQL's default weights of A, B and C, for SQLite's bm25 per column.
FTS_WEIGHTS = (1.0, 0.4, 0.2)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    """One or more words that must appear in this order (or, if excluded, not)."""

    words: tuple
    excluded: bool = False


def parse(text):
    """text as alternatives (any may match), each a list of Terms (all must).

    Alternatives with no word to find (only exclusions) are left out: exclusions
    narrow a search, they do not make one.
    """
    alternatives, terms = [], []
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            alternatives.append(terms)
            terms = []
            continue
        if bare is not None:
            minus, quoted = ("-", bare[1:]) if bare.startswith("-") else ("", bare)
        words = tuple(word.lower() for word in _WORD.findall(quoted))
        if words:
            terms.append(Term(words, excluded=bool(minus)))
    alternatives.append(terms)
    return [terms for terms in alternatives if any(not term.excluded for term in terms)]


def search(queryset, text):
    """queryset narrowed to releases matching text, annotated with relevance."""
    text = " ".join(text.split())
    if not text:
        return queryset
    alternatives = parse(text)
    if not alternatives:
        return queryset.none().annotate(relevance=Value(0.0))
    if connection.vendor == "postgresql":
        query = SearchQuery(_tsquery(alternatives), config=CONFIG, search_type="raw")
        matches = Q(search_vector=query)
        rank = SearchRank(F("search_vector"), query)
    else:
        fts_query = _fts_query(alternatives)
        matches = Q(pk__in=RawSQL(_FTS_MATCH, [fts_query]))
        rank = RawSQL(_FTS_RANK, [*FTS_WEIGHTS, fts_query], output_field=FloatField())
    if HANGUL.search(text):
        matches |= _contains(text)
    title_match = Case(
        When(title__icontains=text, then=Value(TITLE_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return queryset.filter(matches).annotate(relevance=rank + title_match)


def index(release):
    """Index the release's text as saved (called by Release.save)."""
    index_many([release])


def index_many(releases):
    """Index the text of releases, as saved, in one statement a table."""
    if not releases:
        return
    if connection.vendor == "postgresql":
        pks = [release.pk for release in releases]
        type(releases[0]).objects.filter(pk__in=pks).update(search_vector=VECTOR)
    elif connection.vendor == "sqlite":
        _index_on_sqlite(
            connection,
            # Attachments' words count as the body's: FTS5 has three columns.
            [
                (r.pk, r.title, r.summary, f"{r.body}\n{r.attachments_text}")
                for r in releases
            ],
        )


_BLOCK_END = re.compile(
    r"(</(?:p|h[1-6]|li|td|th|caption|blockquote)>|<br\s*/?>)", re.I
)


def plain_text(body):
    """A body's words without its markup, as the search should see them: a
    block's end parts its words from the next block's."""
    return html.unescape(strip_tags(_BLOCK_END.sub(r"\1\n", body)))


# SQLite -----------------------------------------------------------------------

_FTS_MATCH = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
# Minus, as bm25 scores better matches lower; 0 for a release matched by
# trigram only.
_FTS_RANK = f"""COALESCE((
    SELECT -bm25({FTS_TABLE}, %s, %s, %s) FROM {FTS_TABLE}
    WHERE {FTS_TABLE} MATCH %s AND rowid = releases_release.id
), 0.0)"""
SQLITE_SCHEMA = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {TRIGRAM_TABLE} USING fts5(
        title, summary, body, tokenize = 'trigram')""",
    # Every way a release goes (the admin, a cascade, a test's flush) drops its
    # rows, so that a later release given the same id never shows its words.
    f"""CREATE TRIGGER IF NOT EXISTS release_search_delete
        AFTER DELETE ON releases_release BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
            DELETE FROM {TRIGRAM_TABLE} WHERE rowid = old.id;
        END""",
]
SQLITE_SCHEMA_DROP = [
    "DROP TRIGGER IF EXISTS release_search_delete",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
    f"DROP TABLE IF EXISTS {TRIGRAM_TABLE}",
]


def create_sqlite_index(schema_editor):
    """Make SQLite's search tables and index every release (migration 0012)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in SQLITE_SCHEMA:
        schema_editor.execute(statement)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, title, summary, body FROM releases_release")
        _index_on_sqlite(schema_editor.connection, cursor.fetchall())


def drop_sqlite_index(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_SCHEMA_DROP:
            schema_editor.execute(statement)


def _index_on_sqlite(db, rows):
    rows = [(pk, title, summary, plain_text(body)) for pk, title, summary, body in rows]
    with db.cursor() as cursor:
        for table in (FTS_TABLE, TRIGRAM_TABLE):
            cursor.executemany(
                f"DELETE FROM {table} WHERE rowid = %s", [(row[0],) for row in rows]
            )
            cursor.executemany(
                f"INSERT INTO {table} (rowid, title, summary, body)"
                " VALUES (%s, %s, %s, %s)",
                rows,
            )


def _fts_query(alternatives):
    """parse()'s reading as an FTS5 query: each term a quoted phrase."""

    def phrase(term):
        return '"' + " ".join(term.words) + '"'

    def all_of(terms):
        wanted = " AND ".join(phrase(term) for term in terms if not term.excluded)
        unwanted = "".join(f" NOT {phrase(term)}" for term in terms if term.excluded)
        return f"(({wanted}){unwanted})"

    return " OR ".join(all_of(terms) for terms in alternatives)


def _tsquery(alternatives):
    """parse()'s reading as a PostgreSQL tsquery (words are \\w+, never syntax)."""

    def phrase(term):
        words = " <-> ".join(term.words)
        return f"!({words})" if term.excluded else f"({words})"

    return " | ".join(
        "(" + " & ".join(phrase(term) for term in terms) + ")" for terms in alternatives
    )


def _contains(text):
    """Releases holding text as it stands, inside a word too (for Korean)."""
    if connection.vendor == "postgresql":
        return (
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(body__icontains=text)
            | Q(attachments_text__icontains=text)
        )
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
    columns = " OR ".join(
        f"{column} LIKE %s ESCAPE '\\'" for column in ("title", "summary", "body")
    )
    return Q(
        pk__in=RawSQL(
            f"SELECT rowid FROM {TRIGRAM_TABLE} WHERE {columns}", [pattern] * 3
        )
    )
