import pytest

from releases import search
from releases.models import Release
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

CORPUS = {
    "test bed": ("Semiconductor test bed opens", "<p>A new semiconductor plant.</p>"),
    "chips": ("Chip makers gather", "<p>Semiconductors lead the exports.</p>"),
    "belt": ("Smart Belt strategy", "<p>The semiconductor smart belt grows.</p>"),
    "buses": ("Night buses to Seoul", "<p>Routes for night workers; no trains.</p>"),
    "fair": ("Smart-belt jobs fair", "<p>Firms of the smart-belt hire.</p>"),
    "korean belt": ("반도체 벨트 전략 발표", "<p>경기도가 반도체를 키운다</p>"),
    "suwon": ("수원시 야간 버스 확대", "<p>노선 확대</p>"),
    "markup": ("Street markets", "<p><strong>Food</strong> stalls &amp; music</p>"),
}

# One set of queries and the releases each must find, on PostgreSQL and SQLite.
QUERIES = [
    ("semiconductor", {"test bed", "chips", "belt"}),
    ("semiconductors", {"test bed", "chips", "belt"}),
    ("SEMICONDUCTOR", {"test bed", "chips", "belt"}),
    ('"smart belt"', {"belt", "fair"}),
    ("smart-belt", {"belt", "fair"}),
    ("smart belt", {"belt", "fair"}),
    ("night seoul", {"buses"}),
    ('"night buses"', {"buses"}),
    ('"buses night"', set()),
    ('"night buses" -trains', set()),
    ("smart -fair", {"belt"}),
    ("chip or markets", {"chips", "markup"}),
    ("food music", {"markup"}),
    ("strong", set()),  # a tag of the body, not a word of it
    ("-trains", set()),
    ("' OR 1=1 --", set()),
    ("<script>alert(1)</script>", set()),
    ('"unclosed quote', set()),
    ("반도체", {"korean belt"}),
    ("반도체를", {"korean belt"}),
    ("수원", {"suwon"}),
    ("버스 확대", {"suwon"}),
]


@pytest.fixture
def corpus():
    return {
        key: ReleaseFactory(title=title, body=body).pk
        for key, (title, body) in CORPUS.items()
    }


def found(text):
    return [
        r.title
        for r in search.search(Release.objects.all(), text).order_by("-relevance")
    ]


@pytest.mark.parametrize(("text", "expected"), QUERIES)
def test_query_finds_the_same_releases_on_every_database(corpus, text, expected):
    matched = search.search(Release.objects.all(), text).values_list("pk", flat=True)
    assert set(matched) == {corpus[key] for key in expected}


def test_blank_search_changes_nothing():
    ReleaseFactory()
    assert search.search(Release.objects.all(), "   ").count() == 1


def test_title_match_ranks_above_body_matches():
    ReleaseFactory(title="Budget news", body="<p>" + "cluster " * 30 + "</p>")
    ReleaseFactory(title="Cluster opens", body="<p>Short.</p>")
    assert found("cluster") == ["Cluster opens", "Budget news"]


def test_index_follows_edits():
    release = ReleaseFactory(title="Old words")
    release.title = "Fresh semiconductor news"
    release.save()
    assert found("semiconductor") == ["Fresh semiconductor news"]
    assert found("old") == []


def test_deleted_release_leaves_no_words_behind():
    ReleaseFactory(title="Ferry timetable").delete()
    later = ReleaseFactory(title="Bus timetable")
    assert found("ferry") == []
    assert found("timetable") == [later.title]


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("smart belt", [[search.Term(("smart",)), search.Term(("belt",))]]),
        ('"smart belt"', [[search.Term(("smart", "belt"))]]),
        ("smart-belt", [[search.Term(("smart", "belt"))]]),
        ("bus -night", [[search.Term(("bus",)), search.Term(("night",), True)]]),
        ("bus OR ferry", [[search.Term(("bus",))], [search.Term(("ferry",))]]),
        ("-night", []),
    ],
)
def test_parse_reads_queries_as_web_search_does(text, reading):
    assert search.parse(text) == reading


@pytest.mark.postgres
def test_search_uses_the_indexes():
    from django.db import connection

    ReleaseFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'releases_release'"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {"release_search_vector", "release_title_trigram"} <= names


@pytest.mark.sqlite
def test_sqlite_matches_through_its_full_text_tables():
    from django.db import connection

    ReleaseFactory(title="Ferry timetable")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE}"
            " MATCH 'ferries'"
        )
        assert cursor.fetchone() == (1,)
