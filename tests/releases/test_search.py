import pytest

from releases import search
from releases.models import Release
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def found(text):
    return [
        r.title
        for r in search.search(Release.objects.all(), text).order_by("-relevance")
    ]


def test_every_word_must_match_somewhere():
    ReleaseFactory(title="Night buses", body="<p>Routes to Seoul</p>")
    ReleaseFactory(title="Night markets", body="<p>Food stalls</p>")
    assert found("night seoul") == ["Night buses"]


def test_blank_search_changes_nothing():
    ReleaseFactory()
    assert search.search(Release.objects.all(), "   ").count() == 1


@pytest.mark.postgres
def test_english_stemming_finds_other_forms_of_a_word():
    ReleaseFactory(title="Test bed opens", body="<p>A new semiconductor plant.</p>")
    assert found("semiconductors") == ["Test bed opens"]


@pytest.mark.postgres
def test_title_match_ranks_above_body_matches():
    ReleaseFactory(title="Budget news", body="<p>" + "cluster " * 30 + "</p>")
    ReleaseFactory(title="Cluster opens", body="<p>Short.</p>")
    assert found("cluster") == ["Cluster opens", "Budget news"]


@pytest.mark.postgres
def test_korean_whole_word_is_found():
    ReleaseFactory(title="반도체 벨트 전략 발표", body="<p>경기도</p>")
    assert found("반도체") == ["반도체 벨트 전략 발표"]


@pytest.mark.postgres
def test_korean_part_of_a_word_is_found():
    ReleaseFactory(title="수원시 야간 버스 확대", body="<p>노선</p>")
    assert found("수원") == ["수원시 야간 버스 확대"]


@pytest.mark.postgres
def test_search_vector_follows_edits():
    release = ReleaseFactory(title="Old words")
    release.title = "Fresh semiconductor news"
    release.save()
    assert found("semiconductor") == ["Fresh semiconductor news"]


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


@pytest.mark.postgres
def test_websearch_syntax_with_quotes_and_minus_does_not_fail():
    ReleaseFactory(title="Night buses to Seoul")
    assert found('"night buses" -trains') == ["Night buses to Seoul"]
    assert found("' OR 1=1 --") == []
