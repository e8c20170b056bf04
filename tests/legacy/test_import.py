"""Importing an old eGovFrame board: each mapping rule, each bad input, and
runs that repeat, change, stop half-way or only pretend."""

import datetime
import io
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from legacy import importing, source
from legacy.models import ImportedArticle
from releases.models import Attachment, DailyHits, Release
from tests.legacy.boards import BOARD, PDF, article, stored_file, write_board
from tests.people.factories import MunicipalityFactory
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def run(folder, **options):
    return importing.import_board(source.CsvSource(folder), BOARD, **options)


def imported(ntt_id):
    return ImportedArticle.objects.get(board_id=BOARD, article_id=ntt_id).release


def test_live_article_becomes_a_published_release(tmp_path):
    write_board(tmp_path, [article(1, NTT_SJ="반도체 클러스터 지원", RDCNT="201")])

    report = run(tmp_path)

    release = imported(1001)
    assert report.imported == [release.number]
    assert release.is_live
    assert release.title == "반도체 클러스터 지원"
    assert release.language == "ko"
    assert release.contact_name == "대변인실 홍길동"
    created = timezone.localtime(release.published_at)
    assert (created.date(), created.time()) == (
        datetime.date(2021, 10, 1),
        datetime.time(9, 0),
    )


def test_old_hits_are_carried_over_and_never_made_daily_hits(tmp_path, client):
    write_board(tmp_path, [article(1, RDCNT="1,201")])

    run(tmp_path)

    release = imported(1001)
    assert (release.legacy_hits, release.hit_count) == (1201, 1201)
    assert not DailyHits.objects.exists()
    page = client.get(release.get_absolute_url()).text
    assert re.search(r"Hit (<span[^>]*>)?1201<", page)


def test_last_update_on_the_old_board_is_the_updated_time(tmp_path):
    write_board(tmp_path, [article(1, LAST_UPDT_PNTTM="2021-10-05 14:30:00")])

    run(tmp_path)

    assert timezone.localtime(imported(1001).last_major_update_at).day == 5


def test_body_breaks_become_paragraphs_and_scripts_styles_and_fonts_go(tmp_path):
    html = (
        '첫 문단<br/><br>둘째 <font color="red">문단</font><br>같은 문단'
        '<script>alert(1)</script><span style="color:red">끝</span>'
    )
    write_board(tmp_path, [article(1, NTT_CN=html)])

    run(tmp_path)

    assert imported(1001).body == "<p>첫 문단</p><p>둘째 문단<br>같은 문단끝</p>"


def test_tables_are_kept(tmp_path):
    table = (
        '<table border="1"><tr><td style="width:50%">수원</td><td>120</td></tr></table>'
    )
    write_board(tmp_path, [article(1, NTT_CN=table)])

    run(tmp_path)

    assert "<table><tbody><tr><td>수원</td><td>120</td></tr></tbody></table>" in (
        imported(1001).body
    )


def test_replies_and_deleted_articles_are_skipped_and_reported(tmp_path):
    write_board(
        tmp_path,
        [article(1, ANSWER_AT="Y"), article(2, USE_AT="N"), article(3)],
    )

    report = run(tmp_path)

    assert report.skipped == [
        (1001, "a reply to another article"),
        (1002, "deleted on the old board"),
    ]
    assert Release.objects.count() == 1


def test_window_not_started_becomes_a_scheduled_release(tmp_path):
    starts = timezone.localdate() + datetime.timedelta(days=3)
    write_board(tmp_path, [article(1, NTCE_BGNDE=starts.strftime("%Y%m%d"))])

    run(tmp_path)

    release = imported(1001)
    assert release.is_scheduled
    assert timezone.localdate(release.published_at) == starts


def test_window_that_ended_is_imported_withdrawn_with_a_notice(tmp_path):
    write_board(tmp_path, [article(1, NTCE_BGNDE="20211001", NTCE_ENDDE="20211031")])

    run(tmp_path, language="en")

    release = imported(1001)
    assert release.is_withdrawn
    assert "ended on 2021-10-31" in release.withdrawal_reason


def test_open_ended_window_stays_live(tmp_path):
    write_board(tmp_path, [article(1, NTCE_BGNDE="20211001", NTCE_ENDDE="99991231")])

    run(tmp_path)

    assert imported(1001).is_live


def test_numbers_continue_after_the_highest_in_the_old_order(tmp_path):
    ReleaseFactory(number=40)
    later = article(1, FRST_REGIST_PNTTM="2021-10-20 09:00:00")
    earlier = article(2, FRST_REGIST_PNTTM="2021-10-02 09:00:00")
    write_board(tmp_path, [later, earlier])

    run(tmp_path)

    assert (imported(1002).number, imported(1001).number) == (41, 42)


def test_kept_numbers_are_the_old_ones_where_free(tmp_path):
    ReleaseFactory(number=2)
    write_board(tmp_path, [article(1), article(2), article(3)])

    report = run(tmp_path, keep_numbers=True)

    assert [imported(1001 + n).number for n in range(3)] == [1, 4, 3]
    assert sorted(report.imported) == [1, 3, 4]


def test_cp949_export_is_read(tmp_path):
    write_board(tmp_path, [article(1, NTT_SJ="경기도 보도자료")], encoding="cp949")

    run(tmp_path)

    assert imported(1001).title == "경기도 보도자료"


def test_file_in_neither_utf8_nor_cp949_stops_before_anything_is_written(tmp_path):
    write_board(tmp_path, [article(1)])
    (tmp_path / "COMTNBBS.csv").write_bytes(
        (tmp_path / "COMTNBBS.csv").read_bytes() + b"\xff\xfe\xff\n"
    )

    with pytest.raises(source.SourceError, match="neither UTF-8 nor CP949"):
        source.CsvSource(tmp_path)


def test_missing_column_stops_the_command_naming_it(tmp_path):
    header = [column for column in article(1) if column != "RDCNT"]
    write_board(tmp_path, [article(1)], header=header)

    with pytest.raises(CommandError, match=r"COMTNBBS\.csv has no column RDCNT"):
        call_command("import_legacy_board", str(tmp_path), board=BOARD)
    assert not Release.objects.exists()


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        (
            {"FRST_REGIST_PNTTM": "2021-13-45"},
            "FRST_REGIST_PNTTM is '2021-13-45', not a date",
        ),
        ({"FRST_REGIST_PNTTM": ""}, "FRST_REGIST_PNTTM is empty"),
        (
            {"FRST_REGIST_PNTTM": "1900-01-01"},
            "FRST_REGIST_PNTTM is 1900-01-01, outside",
        ),
        ({"RDCNT": "many"}, "RDCNT is 'many', not a number"),
        ({"NTT_SJ": "  "}, "no title"),
        ({"NTT_CN": "<p>x</p>" * 200_000}, "once cleaned; 976 KB at most"),
    ],
)
def test_bad_row_is_a_line_in_the_report_and_no_release(tmp_path, columns, reason):
    write_board(tmp_path, [article(1, **columns), article(2)])

    report = run(tmp_path)

    [(ntt_id, said)] = report.skipped
    assert ntt_id == 1001
    assert reason in said
    assert Release.objects.count() == 1


def test_body_of_pasted_images_is_imported_cleaned_with_a_warning(tmp_path):
    picture = '<img src="data:image/png;base64,' + "A" * 5_000_000 + '">'
    write_board(tmp_path, [article(1, NTT_CN=f"<p>본문</p>{picture}")])

    report = run(tmp_path)

    assert imported(1001).body == "<p>본문</p>"
    assert "4882 KB, 0 KB once cleaned" in report.warnings[0][1]


def test_second_run_changes_nothing(tmp_path):
    write_board(
        tmp_path,
        [article(1, ATCH_FILE_ID="F1"), article(2)],
        files=[stored_file("F1", 0, "붙임1. 보도자료.pdf")],
    )
    run(tmp_path)
    before = list(Release.objects.values_list("number", "revision", "updated_at"))
    history = Release.history.count()

    report = run(tmp_path)

    assert (report.imported, report.updated, report.unchanged) == ([], [], 2)
    assert (
        list(Release.objects.values_list("number", "revision", "updated_at")) == before
    )
    assert Release.history.count() == history
    assert imported(1001).attachments.count() == 1


def test_new_and_changed_articles_are_added_and_updated(tmp_path):
    write_board(tmp_path, [article(1, RDCNT="10")])
    run(tmp_path)
    first = imported(1001)
    first.hit_count += 5  # counted here since
    Release.objects.filter(pk=first.pk).update(hit_count=first.hit_count)
    write_board(tmp_path, [article(1, RDCNT="12", NTT_SJ="고친 제목"), article(2)])

    report = run(tmp_path)

    first.refresh_from_db()
    assert (report.updated, len(report.imported)) == ([first.number], 1)
    assert first.title == "고친 제목"
    assert (first.legacy_hits, first.hit_count) == (12, 17)


def test_release_edited_here_since_is_a_conflict_and_kept(tmp_path):
    write_board(tmp_path, [article(1)])
    run(tmp_path)
    release = imported(1001)
    release.title = "Edited by staff"
    release.save()
    write_board(tmp_path, [article(1, NTT_SJ="Changed on the old board")])

    report = run(tmp_path)

    assert report.conflicts == [(1001, release.number)]
    release.refresh_from_db()
    assert release.title == "Edited by staff"


def test_dry_run_writes_nothing(tmp_path, media_root):
    write_board(
        tmp_path / "export",
        [article(1, ATCH_FILE_ID="F1")],
        files=[stored_file("F1", 0, "plan.pdf")],
    )

    report = run(tmp_path / "export", dry_run=True)

    assert (len(report.imported), report.attachments) == (1, 1)
    assert not Release.objects.exists()
    assert not ImportedArticle.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


class StoppingSource(source.CsvSource):
    """The export, but the run is stopped (as by Ctrl-C) at the third article
    of the import, in batches of two: the second reading, the first having
    planned the numbers."""

    readings = 0

    def articles(self, board):
        self.readings += 1
        for number, row in enumerate(super().articles(board), start=1):
            if self.readings == 2 and number == 3:
                raise KeyboardInterrupt
            yield row


def state():
    return sorted(
        Release.objects.values_list("number", "title", "status", "legacy_hits")
    )


def test_stopped_run_run_again_ends_as_an_uninterrupted_one(tmp_path):
    rows = [article(n, ATCH_FILE_ID=f"F{n}") for n in range(1, 6)]
    files = [stored_file(f"F{n}", 0, f"file{n}.pdf") for n in range(1, 6)]
    write_board(tmp_path, rows, files=files)
    with pytest.raises(KeyboardInterrupt):
        importing.import_board(StoppingSource(tmp_path), BOARD, batch_size=2)
    assert Release.objects.count() == 2

    run(tmp_path)
    resumed = (state(), Release.objects.filter(attachments__isnull=False).count())
    Release.objects.all().delete()
    run(tmp_path)

    assert resumed == (
        state(),
        Release.objects.filter(attachments__isnull=False).count(),
    )


class StaffTakeANumberSource(source.CsvSource):
    """The export, read while staff create release No. 2 (the number planned
    for the second article) between the planning and the import."""

    readings = 0

    def articles(self, board):
        self.readings += 1
        if self.readings == 2:
            ReleaseFactory(number=2)
        yield from super().articles(board)


def test_article_the_database_refuses_is_reported_and_the_rest_imported(
    tmp_path, media_root
):
    rows = [article(n, ATCH_FILE_ID=f"F{n}") for n in range(1, 4)]
    files = [stored_file(f"F{n}", 0, f"file{n}.pdf") for n in range(1, 4)]
    write_board(tmp_path / "export", rows, files=files)

    report = importing.import_board(StaffTakeANumberSource(tmp_path / "export"), BOARD)

    assert sorted(report.imported) == [1, 3]
    [(article_id, reason)] = report.skipped
    assert article_id == 1002
    assert "database refused it" in reason
    assert not ImportedArticle.objects.filter(article_id=1002).exists()
    stored = {path.name for path in (media_root / "releases/attachments").iterdir()}
    kept = {Path(a.file.name).name for a in Attachment.objects.all()}
    assert len(kept) == 2
    assert stored == kept  # the refused batch's copies were removed


def test_attachments_are_copied_through_the_upload_checks(tmp_path):
    files = [
        stored_file("F1", 0, "붙임1. 보도자료.pdf"),
        stored_file("F1", 1, "fake.pdf", content=b"<html><script>x</script>"),
        stored_file("F1", 2, "tool.exe", content=b"MZ..."),
        stored_file("F1", 3, "gone.hwp", content=None),
        stored_file("F1", 4, "passwd.pdf", stored_name="../../etc/passwd"),
    ]
    write_board(tmp_path, [article(1, ATCH_FILE_ID="F1")], files=files)

    report = run(tmp_path)

    release = imported(1001)
    [attachment] = release.attachments.all()
    assert (attachment.title, attachment.file_type, attachment.size) == (
        "붙임1. 보도자료",
        "PDF",
        len(PDF),
    )
    assert report.attachments == 1
    assert [name for _number, name, _path in report.missing_files] == ["gone.hwp"]
    refused = {name: reason for _number, name, reason in report.refused_files}
    assert set(refused) == {"fake.pdf", "tool.exe", "passwd.pdf"}
    assert "leaves the files' folder" in refused["passwd.pdf"]


def test_places_named_are_suggested_and_tagged_when_asked(tmp_path):
    suwon = MunicipalityFactory(name="Suwon", local_name="수원시")
    write_board(tmp_path, [article(1, NTT_SJ="수원시 버스 노선 개편")])

    report = run(tmp_path, tag=True)

    release = imported(1001)
    assert list(release.municipalities.all()) == [suwon]
    assert report.tags == [(release.number, "Suwon", True)]


def test_command_prints_the_report(tmp_path):
    write_board(tmp_path, [article(1), article(2, ANSWER_AT="Y")])
    out = io.StringIO()

    call_command("import_legacy_board", str(tmp_path), board=BOARD, stdout=out)

    text = out.getvalue()
    assert "Imported: 1" in text
    assert "NTT_ID 1002: a reply to another article" in text


def test_hundreds_of_rows_in_cp949_import_in_one_run(tmp_path):
    rows = [article(n) for n in range(1, 301)]
    rows += [article(n, ANSWER_AT="Y") for n in range(301, 321)]
    write_board(tmp_path, rows, encoding="cp949")

    report = run(tmp_path)

    assert (len(report.imported), len(report.skipped)) == (300, 20)


def test_long_import_shows_its_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    write_board(tmp_path, [article(n) for n in range(1, 6)])
    progress = io.StringIO()

    call_command(
        "import_legacy_board",
        str(tmp_path),
        board=BOARD,
        stdout=io.StringIO(),
        stderr=progress,
    )

    assert progress.getvalue().splitlines() == [
        "2 of 5 articles read…",
        "4 of 5 articles read…",
    ]


def test_stored_files_kept_apart_from_the_tables_are_read_from_files(tmp_path):
    write_board(
        tmp_path / "tables",
        [article(1, ATCH_FILE_ID="F1")],
        files=[stored_file("F1", 0, "plan.pdf")],
    )
    (tmp_path / "stored").mkdir()
    shutil.move(tmp_path / "tables" / "bbs", tmp_path / "stored" / "bbs")

    call_command(
        "import_legacy_board",
        str(tmp_path / "tables"),
        board=BOARD,
        files=str(tmp_path / "stored"),
        stdout=io.StringIO(),
    )

    [attachment] = imported(1001).attachments.all()
    assert attachment.original_name == "plan.pdf"
