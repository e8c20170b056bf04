"""Browser tests: Playwright driving the machine's Chromium against live_server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        pytest.skip("No Chromium on this machine: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(browser, live_server):
    """page_for(user) opens a page logged into the admin as user (None: a visitor)."""
    contexts = []

    def open_page(
        user=None, password="correct horse battery staple", width=1280, **options
    ):
        # bypass_csp lets axe-core be injected; the site's own pages need no
        # exemption (bypass_csp=False checks that they need none).
        options.setdefault("bypass_csp", True)
        context = browser.new_context(
            viewport={"width": width, "height": 900}, **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if user is not None:
            page.goto(f"{live_server.url}/admin/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_url(f"{live_server.url}/admin/")
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def axe_violations():
    """axe_violations(page): the WCAG 2.1 A/AA problems axe-core finds on page."""
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed: npm ci --prefix {AXE.parents[2]}")

    def check(page):
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: "tag",
                values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})"""
        )
        return [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])})"
            for violation in result["violations"]
        ]

    return check


@pytest.fixture
def screenshot():
    """screenshot(page, name) saves a full-page PNG under tests/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return save
