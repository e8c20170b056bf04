import datetime

import pytest
from django.core.exceptions import ValidationError

from releases import dates, reports
from releases.models import Release
from releases.reports import Range
from tests.people.factories import MunicipalityFactory, OrganizationFactory
from tests.releases.factories import (
    DailyDownloadsFactory,
    DailyHitsFactory,
    ReleaseFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

OCT = Range(datetime.date(2021, 10, 1), datetime.date(2021, 10, 31))


def day(number, month=10):
    return datetime.date(2021, month, number)


@pytest.fixture
def october():
    """Three releases; hand-computed figures for October 2021 are in each test."""
    suwon = MunicipalityFactory(name="Suwon")
    yongin = MunicipalityFactory(name="Yongin")
    topic = TopicFactory(name="Semiconductors")
    department = OrganizationFactory(name="Future Growth")
    belt = ReleaseFactory(
        title="Smart belt", published_at="2021-10-07T16:00+09:00", department=department
    )
    belt.municipalities.add(suwon, yongin)
    belt.topics.add(topic)
    buses = ReleaseFactory(title="Buses", published_at="2021-09-20T10:00+09:00")
    buses.municipalities.add(suwon)
    quiet = ReleaseFactory(title="Quiet", published_at="2021-10-20T10:00+09:00")
    for release, hits in [
        (belt, {day(7): 120, day(8): 60, day(9): 21}),
        (buses, {day(30, 9): 500, day(1): 40, day(2): 10}),
        (quiet, {day(20): 3, day(1, 11): 99}),
    ]:
        for when, count in hits.items():
            DailyHitsFactory(release=release, day=when, hits=count)
    return {"belt": belt, "buses": buses, "quiet": quiet}


def test_summary_filters_by_date_before_summing(october):
    # In October: belt 201, buses 50 (not its 500 of September), quiet 3.
    assert reports.summary(OCT) == {
        "total": 254,
        "published": 2,
        "read": 3,
        "average": 84.7,
        "median": 50,
    }


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Whole months and parts of months, read from MonthlyHits and DailyHits.
        (day(30, 9), day(1, 11), {"belt": 201, "buses": 550, "quiet": 102}),
        (day(1, 9), day(30, 11), {"belt": 201, "buses": 550, "quiet": 102}),
        (day(2), day(20), {"belt": 201, "buses": 10, "quiet": 3}),
        (day(8), day(8), {"belt": 60}),
        (day(1, 11), day(15, 11), {"quiet": 99}),
    ],
)
def test_ranges_cutting_through_months_count_only_their_days(
    october, start, end, expected
):
    top = reports.top_releases(Range(start, end))
    by_name = {name: release for name, release in october.items()}
    assert {r.pk: r.hits_in_range for r in top} == {
        by_name[name].pk: hits for name, hits in expected.items()
    }
    assert reports.summary(Range(start, end))["total"] == sum(expected.values())
    assert reports.total_hits(Range(start, end)) == sum(expected.values())


@pytest.mark.parametrize(
    ("start", "end", "through", "months", "days"),
    [
        ("10-01", "10-31", "12-31", ("10-01", "10-01"), []),
        ("10-02", "10-30", "12-31", None, [("10-02", "10-30")]),
        (
            "09-15",
            "12-10",
            "12-31",
            ("10-01", "11-01"),
            [("09-15", "09-30"), ("12-01", "12-10")],
        ),
        ("02-01", "02-28", "12-31", ("02-01", "02-01"), []),
        ("10-31", "11-01", "12-31", None, [("10-31", "11-01")]),
        # October rolled up to the 15th: its row holds the 1st to the 15th.
        ("10-01", "10-31", "10-15", ("10-01", "10-01"), [("10-16", "10-31")]),
        ("09-15", "10-20", "10-10", ("10-01", "10-01"),
         [("09-15", "09-30"), ("10-11", "10-20")]),
        ("10-05", "10-20", "10-10", None, [("10-05", "10-20")]),
        ("10-01", "10-31", "09-30", None, [("10-01", "10-31")]),
        ("10-01", "10-31", None, None, [("10-01", "10-31")]),
    ],
)  # fmt: skip
def test_range_splits_into_rolled_up_months_and_other_days(
    start, end, through, months, days
):
    def date(month_day):
        return datetime.date.fromisoformat(f"2021-{month_day}")

    date_range = Range(date(start), date(end))
    expected_months = tuple(map(date, months)) if months else None
    expected_days = [(date(first), date(last)) for first, last in days]
    split = reports._split(date_range, date(through) if through else None)
    assert split == (expected_months, expected_days)


def test_empty_range_gives_zeros_not_errors():
    assert reports.summary(OCT) == {
        "total": 0, "published": 0, "read": 0, "average": 0, "median": 0,
    }  # fmt: skip


def test_daily_series_has_every_day_with_zeros(october):
    series = dict(reports.by_day(OCT))
    assert len(series) == 31
    assert series[day(7)] == 120
    assert series[day(1)] == 40
    assert series[day(15)] == 0


def test_top_releases_rank_by_hits_in_range(october):
    ranking = [(r.title, r.hits_in_range) for r in reports.top_releases(OCT)]
    assert ranking == [("Smart belt", 201), ("Buses", 50), ("Quiet", 3)]


def test_release_with_two_cities_counts_for_each(october):
    assert reports.by_dimension(OCT, "municipality") == [
        ("Suwon", 251, 2),
        ("Yongin", 201, 1),
    ]


def test_topic_and_department_breakdowns(october):
    assert reports.by_dimension(OCT, "topic") == [("Semiconductors", 201, 1)]
    assert reports.by_dimension(OCT, "department")[0] == ("Future Growth", 201, 1)


def test_comparison_with_previous_period(october):
    september = reports.summary(OCT.previous())["total"]
    assert september == 500
    assert reports.comparison(254, september) == (-246, -49.2)
    assert reports.comparison(10, 0) == (10, None)


def test_sum_of_daily_rows_equals_counted_hits(october):
    belt = october["belt"]
    belt.refresh_from_db()
    assert sum(hits for _day, hits in reports.release_daily(belt)) == 201


def test_writer_scope_limits_every_figure(october):
    own = Release.objects.filter(pk=october["quiet"].pk)
    assert reports.summary(OCT, own)["total"] == 3
    assert reports.by_dimension(OCT, "municipality", own) == []


def test_end_before_start_is_refused_with_a_message():
    with pytest.raises(ValidationError, match="end date is before"):
        Range(day(10), day(9))


def test_more_than_five_years_is_refused():
    with pytest.raises(ValidationError, match="five years"):
        Range(datetime.date(2015, 1, 1), datetime.date(2021, 1, 1))


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("last_7_days", (day(9, 11), day(15, 11))),
        ("last_30_days", (day(17), day(15, 11))),
        ("this_month", (day(1, 11), day(15, 11))),
        ("last_month", (day(1), day(31))),
        ("this_year", (datetime.date(2021, 1, 1), day(15, 11))),
    ],
)
def test_presets(preset, expected):
    chosen = Range.preset(preset, today=day(15, 11))
    assert (chosen.start, chosen.end) == expected


def test_rank_among_releases_of_the_same_month(october):
    Release.objects.filter(pk=october["belt"].pk).update(hit_count=201)
    Release.objects.filter(pk=october["quiet"].pk).update(hit_count=3)
    october["quiet"].refresh_from_db()
    assert reports.rank_in_month(october["quiet"]) == (2, 2)


def report_url(**params):
    from urllib.parse import urlencode

    return "/admin/reports/hits/?" + urlencode(params)


def custom(start, end):
    return {"period": "custom", "start": start, "end": end}


OCTOBER = custom("2021-10-01", "2021-10-31")


def test_analyst_reads_the_report_with_chart_and_tables(client, analyst, october):
    client.force_login(analyst)

    response = client.get(report_url(**OCTOBER))

    assert response.status_code == 200
    assert response.context["summary"]["total"] == 254
    assert "<title>2021-10-07: 120</title>" in response.text
    assert "Smart belt" in response.text
    assert "counts fully for each" in response.text


def test_writer_sees_only_their_own_releases(client, writer, october):
    client.force_login(writer)
    quiet = october["quiet"]
    quiet._history_user = writer
    Release.history.filter(id=quiet.pk, history_type="+").update(history_user=writer)

    response = client.get(report_url(**OCTOBER))

    assert response.context["summary"]["total"] == 3
    assert "Smart belt" not in response.text


def test_visitor_cannot_read_the_report(client):
    assert client.get(report_url()).status_code == 302


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (custom("2021-10-31", "2021-10-01"), "end date"),
        (custom("2010-01-01", "2021-01-01"), "five years"),
        (custom("2021-02-30", "2021-03-01"), "valid date"),
        ({"period": "custom"}, "both dates"),
        ({"period": "decade"}, "valid choice"),
        (custom("0001-01-01", "0001-01-05"), "covers days from 1990-01-01"),
        (custom("9999-12-27", "9999-12-31"), "covers days from 1990-01-01"),
    ],
)
def test_bad_range_gets_a_clear_message(client, analyst, params, message):
    client.force_login(analyst)
    response = client.get(report_url(**params))
    assert response.status_code == 200
    assert message in response.text


def test_csv_has_bom_header_iso_dates_and_matches_page(client, analyst, october):
    import csv
    import io

    client.force_login(analyst)
    page = client.get(report_url(**OCTOBER)).context["tables"]["release"][1]

    response = client.get(report_url(**OCTOBER, csv="release"))

    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert rows[0] == ["number", "title", "published", "hits"]
    assert rows[1] == [str(page[0][0]), "Smart belt", "2021-10-07", "201"]
    assert len(rows) == len(page) + 1


def test_csv_neutralises_formulas(client, analyst):
    import csv
    import io

    release = ReleaseFactory(
        title='=HYPERLINK("http://evil")', published_at="2021-10-02T10:00+09:00"
    )
    DailyHitsFactory(release=release, day=day(3), hits=1)
    client.force_login(analyst)

    raw = client.get(report_url(**OCTOBER, csv="release")).content.decode("utf-8")

    title = next(csv.reader(io.StringIO(raw.removeprefix("\ufeff").splitlines()[1])))[1]
    assert title == '\'=HYPERLINK("http://evil")'


def test_command_prints_the_same_figures(october, capsys):
    from django.core.management import call_command

    call_command("hits_report", "--start", "2021-10-01", "--end", "2021-10-31",
                 "--by", "municipality", "--format", "csv")  # fmt: skip

    out = capsys.readouterr().out
    assert "Suwon,251,2" in out
    assert "Yongin,201,1" in out


def test_command_refuses_days_at_the_ends_of_the_calendar():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="covers days from"):
        call_command("hits_report", "--start", "0001-01-01", "--end", "0001-01-02")


def test_release_daily_chart_is_empty_for_a_release_dated_far_ahead():
    release = ReleaseFactory(
        published_at=datetime.datetime(9999, 12, 31, 10, tzinfo=datetime.UTC)
    )
    assert reports.release_daily(release) == []


def test_release_daily_chart_starts_at_the_earliest_reported_day():
    release = ReleaseFactory(
        published_at=datetime.datetime(1985, 3, 1, 10, tzinfo=datetime.UTC)
    )
    assert reports.release_daily(release)[0] == (dates.EARLIEST_DAY, 0)


@pytest.mark.django_db(transaction=True)
def test_failed_report_closes_its_transaction_before_the_next_request(
    client, monkeypatch
):
    from django.db import DatabaseError, connection

    release = ReleaseFactory()

    def fail(*args):
        raise DatabaseError("the report failed inside its transaction")

    monkeypatch.setattr(reports, "_per_release", fail)
    with pytest.raises(DatabaseError), reports.RangeReport(OCT):
        pass

    assert not connection.in_atomic_block
    assert client.get(release.get_absolute_url()).status_code == 200


def test_command_refuses_a_bad_range():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="end date is before"):
        call_command("hits_report", "--start", "2021-10-31", "--end", "2021-10-01")


def test_release_admin_page_shows_its_figures(admin_client, october):
    belt = october["belt"]
    Release.objects.filter(pk=belt.pk).update(hit_count=301, legacy_hits=100)

    response = admin_client.get(f"/admin/releases/release/{belt.pk}/change/")

    assert "301 in all: 201 counted here since publication, 100 carried over" in (
        response.text
    )
    assert "Rank 1 of 2 releases published the same month." in response.text
    assert "<title>2021-10-07: 120</title>" in response.text


def test_admin_index_links_to_the_report(admin_client):
    assert "/admin/reports/hits/" in admin_client.get("/admin/").text


@pytest.mark.postgres
def test_report_may_use_parallel_workers_for_its_own_queries():
    with reports.RangeReport(OCT) as report:
        assert report._execute("SHOW max_parallel_workers_per_gather") == [("2",)]


@pytest.fixture
def forty_five_read():
    """45 releases read in October 2021, release i with i hits."""
    releases = ReleaseFactory.create_batch(45, published_at="2021-10-01T09:00+09:00")
    for hits, release in enumerate(releases, start=1):
        DailyHitsFactory(release=release, day=day(5), hits=hits)
    return releases


def test_the_report_page_lists_the_top_20_and_offers_all(
    client, analyst, forty_five_read
):
    client.force_login(analyst)

    page = client.get(report_url(**OCTOBER))
    everything = client.get(report_url(**OCTOBER, all_releases=1))

    assert len(page.context["tables"]["release"][1]) == 20
    assert "The 20 releases read most, of 45 read." in page.text
    assert "all_releases=1" in page.text
    assert len(everything.context["tables"]["release"][1]) == 45
    assert "The 20 releases read most" not in everything.text


def test_the_release_csv_holds_every_release_read(client, analyst, forty_five_read):
    client.force_login(analyst)

    response = client.get(report_url(**OCTOBER, csv="release"))

    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1 + 45


def test_the_command_by_release_prints_every_release_read(forty_five_read, capsys):
    from django.core.management import call_command

    call_command(
        "hits_report", "--start", "2021-10-01", "--end", "2021-10-31",
        "--by", "release", "--format", "csv",
    )  # fmt: skip

    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 45


def test_range_from_the_earliest_day_compares_with_the_days_before_it(client, analyst):
    client.force_login(analyst)

    response = client.get(report_url(**custom("1990-01-01", "1990-01-05")))

    assert response.status_code == 200
    assert response.context["previous_total"] == 0


def test_korean_report_names_breakdowns_in_korean(client, analyst, october):
    from people.models import Municipality

    Municipality.objects.filter(name="Suwon").update(local_name="수원시")
    client.force_login(analyst)

    response = client.get("/ko" + report_url(**OCTOBER))

    assert ("수원시", 251, 2) in response.context["tables"]["municipality"][1]
    assert "시군별" in response.text


@pytest.mark.parametrize(
    "role", ["analyst", "editor", "writer", "staff without a role"]
)
def test_admin_home_offers_the_report_to_exactly_who_may_read_it(
    client, request, django_user_model, role
):
    if role == "staff without a role":
        user = django_user_model.objects.create_user("plain", is_staff=True)
    else:
        user = request.getfixturevalue(role)
    client.force_login(user)

    offered = "/admin/reports/hits/" in client.get("/admin/").text
    readable = client.get(report_url()).status_code == 200

    assert offered == readable == (role != "staff without a role")


def test_report_lists_photo_downloads_by_release_apart_from_hits(
    client, analyst, october
):
    DailyDownloadsFactory(release=october["belt"], day=day(7), downloads=5)
    DailyDownloadsFactory(release=october["belt"], day=day(8), downloads=2)
    DailyDownloadsFactory(release=october["quiet"], day=day(20), downloads=9)
    DailyDownloadsFactory(release=october["quiet"], day=day(1, 11), downloads=40)
    client.force_login(analyst)

    response = client.get(report_url(**OCTOBER))

    _header, rows = response.context["tables"]["downloads"]
    assert rows == [
        [october["quiet"].number, "Quiet", 9],
        [october["belt"].number, "Smart belt", 7],
    ]
    assert response.context["photo_downloads"] == 16
    assert response.context["summary"]["total"] == 254  # hits unchanged


def test_report_without_photo_downloads_says_so(client, analyst, october):
    client.force_login(analyst)

    response = client.get(report_url(**OCTOBER))

    assert "No photo downloads in this period." in response.text


def test_release_admin_page_shows_its_photo_downloads_by_day(admin_client, october):
    belt = october["belt"]
    DailyDownloadsFactory(release=belt, day=day(7), downloads=5)
    DailyDownloadsFactory(release=belt, day=day(9), downloads=2)

    response = admin_client.get(f"/admin/releases/release/{belt.pk}/change/")

    assert "7 downloads of its photos in all (not counted as hits)." in response.text
    assert "<tr><td>2021-10-09</td><td>2</td></tr>" in response.text
    assert response.text.index("2021-10-09</td>") < response.text.index(
        "2021-10-07</td>"
    )


def test_release_admin_page_counts_todays_photo_downloads_of_an_old_release(
    admin_client,
):
    old = ReleaseFactory(published_at="2015-03-02T10:00+09:00")
    DailyDownloadsFactory(release=old, downloads=3)  # today

    response = admin_client.get(f"/admin/releases/release/{old.pk}/change/")

    assert "3 downloads of its photos in all" in response.text
