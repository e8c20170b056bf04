"""The old board's addresses answer 301 with what the import made of them."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from legacy import importing, links, source
from legacy.models import ImportedArticle
from tests.legacy.boards import BOARD, article, stored_file, write_board

pytestmark = pytest.mark.django_db
ARTICLE = "/cop/bbs/selectBoardArticle.do"
FILE = "/cmm/fms/FileDown.do"


@pytest.fixture
def board(tmp_path):
    write_board(
        tmp_path,
        [article(1, ATCH_FILE_ID="F1"), article(2)],
        files=[stored_file("F1", 0, "붙임1. 보도자료.pdf")],
    )
    importing.import_board(source.CsvSource(tmp_path), BOARD)
    return ImportedArticle.objects.get(article_id=1001).release


def test_old_article_address_leads_to_the_release_in_its_language(client, board):
    response = client.get(ARTICLE, {"bbsId": BOARD, "nttId": "1001"})

    assert response.status_code == 301
    assert response["Location"] == f"/ko{board.get_absolute_url()}"
    assert client.get(response["Location"]).status_code == 200


def test_old_file_address_leads_to_the_attachment(client, board):
    attachment = board.attachments.get()

    response = client.get(FILE, {"atchFileId": "F1", "fileSn": "0"})

    assert response.status_code == 301
    assert response["Location"] == attachment.get_absolute_url()


@pytest.mark.parametrize(
    ("path", "query"),
    [
        (ARTICLE, {"bbsId": BOARD, "nttId": "999"}),
        (ARTICLE, {"bbsId": "OTHER", "nttId": "1001"}),
        (ARTICLE, {"bbsId": BOARD, "nttId": "abc"}),
        (ARTICLE, {"bbsId": BOARD, "nttId": "9" * 40}),
        (ARTICLE, {}),
        (FILE, {"atchFileId": "F1", "fileSn": "7"}),
        (FILE, {"atchFileId": "F1", "fileSn": "-1"}),
        (FILE, {"atchFileId": "<script>", "fileSn": "0"}),
    ],
)
def test_unknown_old_address_is_our_404(client, board, path, query):
    assert client.get(path, query).status_code == 404


def test_old_address_of_an_unpublished_release_is_404(client, board):
    board.status = board.Status.DRAFT
    board.published_at = None
    board.save()

    assert client.get(ARTICLE, {"bbsId": BOARD, "nttId": "1001"}).status_code == 404


@pytest.mark.urls("tests.legacy.other_layout_urls")
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/news/view.do", {"menu": "press", "board": BOARD, "no": "1001"}),
        ("/gnews/1001.html", {}),
    ],
)
def test_article_address_of_a_layout_set_in_settings_leads_to_the_release(
    client, board, path, query
):
    response = client.get(path, query)

    assert response.status_code == 301
    assert response["Location"] == f"/ko{board.get_absolute_url()}"


@pytest.mark.urls("tests.legacy.other_layout_urls")
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/news/view.do", {"menu": "notice", "board": BOARD, "no": "1001"}),
        ("/news/view.do", {"menu": "press", "no": "1001"}),
        ("/gnews/abc.html", {}),
    ],
)
def test_address_not_of_the_layout_set_is_our_404(client, board, path, query):
    assert client.get(path, query).status_code == 404


@pytest.mark.urls("tests.legacy.other_layout_urls")
def test_file_address_without_its_number_leads_to_the_first_file(client, board):
    response = client.get("/download/F1")

    assert response.status_code == 301
    assert response["Location"] == board.attachments.get().get_absolute_url()


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("/view.do?id={nttId}", "has nttId"),
        ("/view.do?board={board}", "needs {article}"),
        ("https://old.example/view.do?id={article}", "not a path"),
        ("/view.do?id=A{article}", "not in the path nor a whole query value"),
        ("/{article}/{article}", "twice"),
    ],
)
def test_wrong_pattern_is_refused_naming_the_setting(pattern, problem):
    with pytest.raises(ImproperlyConfigured) as refused:
        links.parse(pattern, links.ARTICLE)

    assert "LEGACY_ARTICLE_LINKS" in str(refused.value)
    assert problem in str(refused.value)
