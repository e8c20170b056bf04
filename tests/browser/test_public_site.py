import pytest

from releases.models import Release
from tests.people.factories import MunicipalityFactory, PositionFactory
from tests.releases.factories import DailyHitsFactory, ReleaseFactory, TopicFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def newsroom(db):
    suwon = MunicipalityFactory(name="Suwon", local_name="수원시", slug="suwon")
    mayor = PositionFactory(
        municipality=suwon, current=True, local_title="시장"
    ).official
    topic = TopicFactory(name="Transport", slug="transport")
    for number in range(23):
        release = ReleaseFactory(
            title=f"Night bus route {number} for Suwon",
            body="<p>Later buses between Suwon and Seoul.</p>",
        )
        release.municipalities.add(suwon)
        release.topics.add(topic)
        release.officials.add(mayor)
    korean = ReleaseFactory(title="수원시 반도체 지원 확대", language="ko")
    DailyHitsFactory(release=korean, hits=3)
    return {"suwon": suwon, "mayor": mayor, "topic": topic, "korean": korean}


PAGES = {
    "home": lambda data: "/",
    "list": lambda data: "/releases/",
    "filtered-list": lambda data: "/releases/?municipality=suwon&sort=oldest",
    "detail": lambda data: (
        Release.objects.filter(language="en").first().get_absolute_url()
    ),
    "official": lambda data: data["mayor"].get_absolute_url(),
    "municipality": lambda data: data["suwon"].get_absolute_url(),
    "alerts": lambda data: "/alerts/?list=topic:transport",
    "alerts-korean": lambda data: "/ko/alerts/",
}


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("width", [1280, 375])
def test_page_has_no_accessibility_violations(
    page_for, live_server, newsroom, axe_violations, screenshot, name, width
):
    page = page_for(width=width)
    page.goto(live_server.url + PAGES[name](newsroom))

    screenshot(page, f"{name}-{width}")
    assert axe_violations(page) == []


def test_filter_and_paginate_keep_the_query(page_for, live_server, newsroom):
    page = page_for()
    page.goto(f"{live_server.url}/releases/")
    page.click("summary")
    page.check("input[value=suwon]")
    page.click("button[type=submit]")
    page.click("a[rel=next]")

    assert "municipality=suwon" in page.url
    assert "page=2" in page.url
    assert page.locator(".board tbody tr").count() == 3


def test_search_in_english_and_korean(page_for, live_server, newsroom):
    page = page_for()
    page.goto(f"{live_server.url}/releases/?q=Seoul")
    assert page.locator(".board tbody tr").count() == 20
    page.goto(f"{live_server.url}/releases/?q=반도체")
    assert page.locator(".board__title").all_inner_texts() == [
        "수원시 반도체 지원 확대"
    ]


def test_opening_a_release_counts_one_hit(page_for, live_server, newsroom):
    release = Release.objects.filter(language="en").first()
    # Headless Chromium says "HeadlessChrome", which is rightly not counted.
    page = page_for(user_agent=DESKTOP_CHROME)

    page.goto(live_server.url + release.get_absolute_url())
    page.reload()

    assert "Hit 1" in page.content()
    release.refresh_from_db()
    assert release.hit_count == 1


def test_switching_to_korean_and_back(page_for, live_server, newsroom):
    page = page_for()
    page.goto(f"{live_server.url}/releases/")
    page.click("text=한국어")
    assert page.locator("h1").inner_text() == "보도자료"
    page.click("text=English")
    assert page.locator("h1").inner_text() == "Press releases"


def test_a_page_kept_by_the_front_cache_shows_the_count_as_it_is_now(
    browser, live_server, newsroom, settings
):
    settings.HITS_FRONT_LOG = "/var/log/nginx/hits.log"
    release = Release.objects.filter(language="en").first()
    Release.objects.filter(pk=release.pk).update(hit_count=4321)
    # No bypass_csp: the script must run under the site's own policy.
    context = browser.new_context(user_agent=DESKTOP_CHROME)
    page = context.new_page()
    url = live_server.url + release.get_absolute_url()

    def as_kept_a_minute_ago(route):
        response = route.fetch()
        stale = response.text().replace(">4321</span>", ">4300</span>")
        route.fulfill(response=response, body=stale)

    page.route(url, as_kept_a_minute_ago)
    page.goto(url)

    counter = page.locator("[data-live-hits]")
    counter.filter(has_text="4321").wait_for()
    assert counter.text_content() == "4321"
    context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_a_long_unbroken_title_does_not_widen_the_board(page_for, live_server, width):
    ReleaseFactory(title="Gyeonggi" * 37)  # 296 letters, no space
    page = page_for(width=width)

    page.goto(f"{live_server.url}/releases/")

    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_korean_pages_break_lines_between_words(page_for, live_server, newsroom):
    page = page_for()

    page.goto(live_server.url + "/ko" + newsroom["korean"].get_absolute_url())

    heading = "getComputedStyle(document.querySelector('h1')).wordBreak"
    assert page.evaluate(heading) == "keep-all"
