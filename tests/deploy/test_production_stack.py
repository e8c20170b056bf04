"""The production stack end to end: nginx → gunicorn → PostgreSQL and Redis, as
`make prod` runs it, checked through nginx the way browsers and operators use it.

The tests share one stack and run in file order: those that break a service
(PostgreSQL unreachable, Redis killed) come last.
"""

import gzip
import http.client
import io
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import pytest

from tests.deploy.stack import Stack, nginx_binary, under_load
from tests.deploy.stack import get as stack_get
from tests.smtp import Inbox, body, serve

pytestmark = pytest.mark.postgres

PASSWORD = "Lectern-2026-press"
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
)
SEED = """
from io import BytesIO
from django.core.files.base import ContentFile
from PIL import Image
from django.urls import reverse
from releases.models import Attachment, Release, ReleaseImage

def jpeg():
    buffer = BytesIO()
    Image.new("RGB", (800, 600), "navy").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="photo.jpg")

first, second = Release.objects.published().order_by("number")[:2]
first.lead_image, first.lead_image_alt = jpeg(), "The governor at the lectern"
first.save()
attachment = Attachment(release=first, title="Plan")
attachment.file = ContentFile(b"%PDF-1.4 the plan", name="plan.pdf")
attachment.save()
second.lead_image, second.lead_image_alt = jpeg(), "Mayors signing"
second.save()
reference = Release.objects.get(slug="smart-belt-hub-of-future-industries")
print(json.dumps({
    "photo": reverse(
        "releases:photo_download", args=[reference.number, reference.images.first().pk]
    ),
    "photos_zip": reverse("releases:photo_archive", args=[reference.number]),
    "pdf_viewer": attachment.get_pdf_url(),
    "release": first.get_absolute_url(),
    "image": first.lead_image.url,
    "attachment": attachment.get_absolute_url(),
    "attachment_file": attachment.file.url,
    "lost_image_release": second.get_absolute_url(),
    "lost_image": second.lead_image.name,
}))
"""


@pytest.fixture(scope="module")
def stack():
    if nginx_binary() is None:
        pytest.skip("needs nginx: apt-get install nginx (.ci/run installs it)")
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    inbox = Inbox()
    mail_server = serve(inbox)
    running = Stack(server, env={"EMAIL_URL": f"smtp://127.0.0.1:{mail_server.port}"})
    running.inbox = inbox
    try:
        running.start()
        running.load_demo_with_chief(PASSWORD)
        running.seed = json.loads(
            running.manage(code="import json\n" + SEED).splitlines()[-1]
        )
        yield running
    finally:
        running.stop()
        mail_server.stop()


def get(stack, path, **headers):
    """(status, headers, body) of a GET through nginx; never raises on 4xx/5xx."""
    return stack_get(stack.url, path, **{"User-Agent": BROWSER, **headers})


def post_form(stack, path, fields):
    """GET the form at path through nginx, then POST fields with its CSRF token
    and cookie, as a browser does; returns the answer."""
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    connection.request("GET", path, headers={"User-Agent": BROWSER})
    form_page = connection.getresponse()
    page = form_page.read().decode()
    cookie = form_page.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    connection.request(
        "POST",
        path,
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": stack.url,
            "Referer": f"{stack.url}{path}",
            "User-Agent": BROWSER,
        },
    )
    return connection.getresponse()


def test_staff_log_into_the_admin_through_nginx(stack):
    response = post_form(
        stack,
        "/admin/login/",
        {"username": "chief", "password": PASSWORD, "next": "/admin/"},
    )

    assert response.status == 302
    assert response.getheader("Location") == "/admin/"
    assert "sessionid=" in " ".join(response.headers.get_all("Set-Cookie"))


def test_visitor_subscribes_and_the_worker_mails_the_confirmation(stack):
    fields = {"list": "all", "frequency": "daily", "language": "ko"}

    response = post_form(stack, "/ko/alerts/", {"email": "dokja@example.org", **fields})

    assert response.status == 302
    assert response.getheader("Location") == "/ko/alerts/asked/"
    deadline = time.monotonic() + 30
    while not stack.inbox.to("dokja@example.org") and time.monotonic() < deadline:
        time.sleep(0.2)
    [message] = stack.inbox.to("dokja@example.org")
    assert "/ko/alerts/confirm/" in body(message)


def test_alerts_pages_are_never_kept_by_nginx(stack):
    for _ in range(2):
        status, headers, _ = get(stack, "/alerts/")
    assert status == 200
    assert "X-Cache" not in headers
    assert "no-store" in headers["Cache-Control"]


def test_uploaded_image_is_served_with_nosniff(stack):
    status, headers, body = get(stack, stack.seed["image"])
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body.startswith(b"\xff\xd8")


def test_html_arrives_gzip_encoded_when_asked(stack):
    status, headers, body = get(stack, "/releases/", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert b"<!DOCTYPE html>" in gzip.decompress(body)


@pytest.mark.parametrize("path", ["/releases/feed/rss/", "/static/css/site.css"])
def test_feeds_and_css_arrive_compressed(stack, path):
    _, headers, _ = get(stack, path, **{"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"


def test_pdf_viewers_module_and_korean_cmaps_are_served(stack):
    status, _page_headers, page = get(stack, stack.seed["pdf_viewer"])
    module = re.search(rb'data-library-url="([^"]+)"', page).group(1).decode()

    status, headers, _body = get(stack, module)

    assert status == 200
    assert headers["Content-Type"].startswith("text/javascript")
    cmaps = re.search(rb'data-cmaps-url="([^"]+)"', page).group(1).decode()
    assert get(stack, f"{cmaps}UniKS-UCS2-H.bcmap")[0] == 200  # Korean text


def test_hashed_static_files_are_cached_for_a_year(stack):
    _, _, page = get(stack, "/")
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, _ = get(stack, css.decode())
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_korean_and_english_pages_come_right_from_the_cache_in_any_order(stack):
    seen = []
    for path in ["/officials/", "/ko/officials/", "/ko/officials/", "/officials/"] * 2:
        _, headers, body = get(stack, path)
        language = re.search(rb'<html lang="(\w+)">', body).group(1).decode()
        seen.append((path, language, headers["X-Cache"]))
    assert {(path, language) for path, language, _ in seen} == {
        ("/officials/", "en"),
        ("/ko/officials/", "ko"),
    }
    assert [cache for _, _, cache in seen[2:]] == ["HIT"] * 6


def test_attachment_downloads_through_the_app_as_an_attachment(stack):
    status, headers, body = get(stack, stack.seed["attachment"])
    assert status == 200
    assert headers["Content-Disposition"].startswith("attachment;")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body == b"%PDF-1.4 the plan"


def test_photo_downloads_pass_nginx_uncached_and_each_is_counted(stack):
    for _ in range(2):
        status, headers, body = get(stack, stack.seed["photo"])
        assert status == 200
        assert headers["Content-Disposition"].startswith("attachment;")
        assert body.startswith(b"\xff\xd8")  # the JPEG itself
    status, headers, body = get(stack, stack.seed["photos_zip"])
    assert status == 200
    with zipfile.ZipFile(io.BytesIO(body)) as photos:
        assert photos.namelist()[-1] == "captions.txt"
    counted = stack.manage(
        code="from django.db.models import Sum\n"
        "from releases.models import DailyDownloads\n"
        "print(DailyDownloads.objects.aggregate(Sum('downloads'))['downloads__sum'])"
    )
    assert counted.splitlines()[-1] == "3"


def test_attachment_files_are_not_served_directly(stack):
    assert get(stack, stack.seed["attachment_file"])[0] == 404


def test_oversized_upload_is_refused_by_nginx_with_413(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    connection.putrequest("POST", "/admin/releases/release/add/")
    connection.putheader("Content-Type", "multipart/form-data; boundary=x")
    connection.putheader("Content-Length", str(200 * 1024 * 1024))
    connection.endheaders()
    assert connection.getresponse().status == 413
    connection.close()


def test_a_100_kb_header_gets_a_4xx(stack):
    status, _, _ = get(stack, "/", **{"X-Padding": "a" * 100_000})
    assert 400 <= status < 500


def test_page_whose_image_file_was_deleted_is_200(stack):
    os.remove(stack.folder / "media" / stack.seed["lost_image"])
    status, _, body = get(stack, stack.seed["lost_image_release"])
    assert status == 200
    assert b'alt="Mayors signing" width="800" height="600"' in body


def test_readyz_is_503_without_postgresql_and_200_after(stack):
    stack.forwarder.stop()
    try:
        status, _, body = get(stack, "/readyz")
        assert status == 503
        assert json.loads(body)["database"].startswith("failed")
    finally:
        stack.forwarder.start()
    deadline = time.monotonic() + 30
    while get(stack, "/readyz")[0] != 200:
        assert time.monotonic() < deadline, "not ready again within 30 s"
        time.sleep(0.5)


def load(stack, paths, seconds, fault_after, fault):
    """Statuses of requests for paths, every request a new visitor, with fault()
    run fault_after seconds in."""

    def request(thread, number):
        agent = f"{BROWSER} load-{fault.__name__}-{thread}-{number}"
        return get(stack, paths[number % len(paths)], **{"User-Agent": agent})[0]

    return under_load(request, seconds, fault_after, fault)


def test_a_database_restart_under_load_fails_at_most_1_percent(stack):
    def restart_database():
        stack.forwarder.stop()  # every connection cut, new ones refused
        time.sleep(1)
        stack.forwarder.start()

    paths = [stack.seed["release"], "/releases/?q=clinic", "/releases/feed/atom/"]
    statuses = load(stack, paths, seconds=6, fault_after=2, fault=restart_database)

    failed = sum(1 for status in statuses if status != 200)
    assert failed <= len(statuses) / 100, (failed, len(statuses))


def test_killing_redis_mid_run_leaves_every_page_200(stack):
    paths = ["/", "/releases/?q=clinic", stack.seed["release"], "/releases/feed/atom/"]
    statuses = load(stack, paths, seconds=4, fault_after=1, fault=stack.kill_redis)

    assert set(statuses) == {200}, statuses
    assert get(stack, "/admin/login/")[0] == 200


def test_sigterm_stops_nginx_and_gunicorn(stack):
    stack.stop()
    assert stack.process.returncode == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(stack.url + "/healthz", timeout=2)
