"""Reading attached documents as HTML text (releases.documents), hostile files
included, in a child process with limits."""

import pytest

from releases import documents
from tests.releases import documents as made


@pytest.fixture
def saved(tmp_path):
    def save(content, name="file"):
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return save


def test_docx_keeps_headings_lists_and_tables_and_notes_left_out_images(saved):
    text = documents.to_html(saved(made.docx_bytes()), "DOCX")

    assert "<h1>Smart Belt strategy</h1>" in text
    assert "<li>A shared ordinance</li>" in text
    assert "<td><p>Suwon</p></td>" in text
    assert f"<em>{documents.IMAGE_NOTE}</em>" in text
    assert "<img" not in text


def test_hwpx_keeps_headings_paragraphs_and_tables(saved):
    text = documents.to_html(saved(made.hwpx_bytes()), "HWPX")

    assert "<h1>추진 전략</h1>" in text  # its outline style, 개요 1
    assert "<p>미래 스마트벨트 전략</p>" in text
    assert "<tr><td>수원</td><td></td></tr>" in text


def test_hwp5_is_read_as_its_hwpx_would_be(saved):
    text = documents.to_html(saved(made.hwp_bytes()), "HWP")

    assert text == documents.to_html(saved(made.hwpx_bytes()), "HWPX")


def test_pdf_text_comes_page_by_page_under_the_label_given(saved):
    text = documents.to_html(saved(made.pdf_bytes(pages=2)), "PDF", "쪽 %(number)s")

    assert (
        text.index("<h1>쪽 1</h1>")
        < text.index("page 1.")
        < text.index("<h1>쪽 2</h1>")
    )


def test_pdf_with_javascript_gives_its_text_and_never_its_script(saved):
    text = documents.to_html(saved(made.pdf_with_javascript()), "PDF")

    assert "Smart Belt" in text
    assert "alert" not in text


@pytest.mark.parametrize(
    ("content", "file_type", "code"),
    [
        (made.zip_bomb(), "DOCX", "inflates"),
        (made.zip_bomb("Contents/section0.xml"), "HWPX", "inflates"),
        (made.with_external_entity(), "DOCX", "dtd"),
        (made.with_external_entity("Contents/section0.xml"), "HWPX", "dtd"),
        (made.damaged(made.docx_bytes()), "DOCX", "corrupt"),
        (made.damaged(made.hwpx_bytes()), "HWPX", "corrupt"),
        (made.damaged(made.pdf_bytes()), "PDF", "corrupt"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "HWP", "corrupt"),
        (b"PK\x03\x04 not a zip", "DOCX", "corrupt"),
    ],
)
def test_hostile_or_damaged_file_is_refused_with_its_reason(
    saved, content, file_type, code
):
    with pytest.raises(documents.Unreadable) as refused:
        documents.run_limited(saved(content), file_type)

    assert refused.value.code == code


def test_zip_bomb_is_refused_before_anything_inflates(saved):
    # 10 GB inflated, refused within 100 MB: the check reads sizes, not data.
    bomb = saved(made.zip_bomb_of_10_gb())

    with pytest.raises(documents.Unreadable) as refused:
        documents.run_limited(bomb, "DOCX", memory_bytes=100 * 1024 * 1024)

    assert bomb.stat().st_size < 10 * 1024
    assert refused.value.code == "inflates"


def test_conversion_that_outgrows_its_memory_limit_is_stopped(saved):
    with pytest.raises(documents.Unreadable) as refused:
        documents.run_limited(
            saved(made.pdf_bytes(pages=30)), "PDF", memory_bytes=25 * 1024 * 1024
        )

    assert refused.value.code == "limit"


def test_conversion_past_its_time_limit_is_stopped(saved, monkeypatch):
    monkeypatch.setattr(documents.subprocess, "run", _never_finishing)

    with pytest.raises(documents.Unreadable) as refused:
        documents.run_limited(saved(made.pdf_bytes()), "PDF", seconds=1)

    assert refused.value.code == "limit"


def _never_finishing(command, timeout, **options):
    raise documents.subprocess.TimeoutExpired(command, timeout)


def test_document_of_images_only_has_no_text_version(saved):
    with pytest.raises(documents.Unreadable) as refused:
        documents.to_html(saved(made.pdf_without_text()), "PDF")

    assert refused.value.code == "empty"
