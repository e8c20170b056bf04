import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from releases import open_data
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def export_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    settings.SITE_URL = "http://testserver"
    return settings.OPEN_DATA_ROOT


def exported(name):
    return (open_data.latest_folder() / name).read_text(encoding="utf-8")


def test_export_holds_every_public_release_as_the_api_gives_it(client):
    live = ReleaseFactory(title="Night buses")
    withdrawn = ReleaseFactory(withdrawn=True)
    ReleaseFactory(draft=True)
    ReleaseFactory(embargoed=True)

    open_data.export()

    lines = [json.loads(line) for line in exported("releases.jsonl").splitlines()]
    assert [line["number"] for line in lines] == [live.number, withdrawn.number]
    assert lines[0] == client.get(f"/api/v1/releases/{live.number}").json()


def test_csv_opens_in_spreadsheets_with_every_column_and_no_formulas():
    ReleaseFactory(title='=HYPERLINK("http://evil")')
    ReleaseFactory(title="수원시 반도체 지원", language="ko")

    open_data.export()

    raw = exported("releases.csv")
    assert raw.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert header == [column for column, _meaning in open_data.CSV_COLUMNS]
    titles = [row[header.index("title")] for row in rows]
    assert titles == ['\'=HYPERLINK("http://evil")', "수원시 반도체 지원"]


def test_data_dictionary_explains_every_csv_column():
    open_data.export()

    rows = list(
        csv.reader(io.StringIO(exported("data-dictionary.csv").lstrip("\ufeff")))
    )
    assert [row[0] for row in rows[1:]] == [c for c, _m in open_data.CSV_COLUMNS]
    assert all(row[1] for row in rows[1:])


def test_a_new_export_becomes_the_latest_and_the_one_before_stays(export_root):
    made = datetime.datetime(2026, 12, 1, 1, 0, tzinfo=datetime.UTC)
    for hours in range(3):
        open_data.export(now=made + datetime.timedelta(hours=hours))

    folders = sorted(p.name for p in export_root.iterdir() if not p.is_symlink())
    assert folders == ["2026-12-01T020000", "2026-12-01T030000"]
    assert open_data.made_at() == made + datetime.timedelta(hours=2)


def test_site_offers_the_latest_files_for_download(client):
    ReleaseFactory(title="Night buses")
    open_data.export()

    page = client.get(reverse("releases:open_data")).text
    download = client.get(reverse("releases:open_data_file", args=["releases.csv"]))

    assert 'href="/releases/open-data/releases.jsonl"' in page
    assert download["Content-Disposition"] == 'attachment; filename="releases.csv"'
    assert b"Night buses" in b"".join(download.streaming_content)


@pytest.mark.parametrize("name", ["secret.txt", "..", "releases.jsonl.bak"])
def test_only_the_export_files_are_served(client, name):
    open_data.export()
    assert client.get(f"/releases/open-data/{name}").status_code == 404


def test_before_the_first_export_the_page_says_so(client):
    page = client.get(reverse("releases:open_data")).text
    assert "The first export has not been made yet." in page
    assert client.get("/releases/open-data/releases.csv").status_code == 404


def test_command_reports_what_it_wrote(capsys):
    from django.core.management import call_command

    ReleaseFactory()
    call_command("export_open_data")

    assert "Exported 1 releases" in capsys.readouterr().out
