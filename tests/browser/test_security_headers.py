"""The Content-Security-Policy holds in a real browser (issue 16).

Every browser test fails if a page it opens reports a policy violation (see ``new_context``
in conftest.py). Here: the policy really blocks an injected inline script on a public page
(so the watch can fail), and every screen of the admin menu, the page editor with its live
preview and a chooser work under the admin's policy without a violation.
"""

import json
import re
from html import unescape

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import EDIT_URL, admin_login

pytestmark = pytest.mark.browser

EDITOR = "secretariat-saint-aubin-les-vignes"


def test_an_injected_inline_script_is_blocked_and_reported_on_a_public_page(
    page, live_site, policy_watch
):
    response = page.goto(live_site.url("/"))
    assert response.status == 200
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
            return window.injected === true;
        }"""
    )
    assert ran is False
    page.wait_for_timeout(200)
    reports = policy_watch.take()  # taken: this test's violation is the expected one
    assert any("script-src" in report for report in reports), reports


def menu_urls(page):
    """Every admin screen of the sidebar menu, submenus included (read from the menu's
    data, as the sidebar's script does)."""
    props = page.locator("#wagtail-sidebar-props").text_content()
    urls = set(re.findall(r'"(/admin/[^"?#]*)"', unescape(json.dumps(json.loads(props)))))
    return sorted(url for url in urls if "logout" not in url)


def visit_without_violation(page, live_site, url, policy_watch):
    response = page.goto(live_site.url(url))
    assert response.status < 400, f"{url}: {response.status}"
    page.wait_for_load_state("load")
    reports = policy_watch.take()
    assert not reports, f"{url}:\n" + "\n".join(reports)


@pytest.mark.parametrize("username", [EDITOR, "coordination"])
def test_every_admin_menu_screen_runs_under_the_policy(page, live_site, policy_watch, username):
    admin_login(page, live_site, username)
    urls = menu_urls(page)
    assert len(urls) >= 8, urls
    for url in urls:
        visit_without_violation(page, live_site, url, policy_watch)


def test_the_page_editor_its_preview_and_a_chooser_run_under_the_policy(
    page, live_site, policy_watch
):
    admin_login(page, live_site, EDITOR)
    page.goto(live_site.url("/admin/pages/"))
    # The explorer starts at the editor's own commune.
    page.locator("main table").get_by_role("link", name="La mairie", exact=True).click()
    expect(page).to_have_url(EDIT_URL)

    # The live preview shows the public page in a frame of the admin.
    page.locator('[data-side-panel-toggle="preview"]').click()
    expect(page.frame_locator("#w-preview-iframe").locator("main")).to_be_visible()

    # A chooser opens in a modal (the page's image).
    chooser = page.locator("main [data-chooser-action-choose]").first
    chooser.click()
    expect(page.locator(".modal-dialog").first).to_be_visible()
    reports = policy_watch.take()
    assert not reports, "\n".join(reports)
