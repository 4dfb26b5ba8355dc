"""Following a project by e-mail (mprc_cms/following.py), on a phone.

A resident opens a demo project of Saint-Aubin-les-Vignes, follows it with the form at the
bottom of the page, confirms from the e-mail (its link shows one button) and sees the
confirmation; the e-mail's stop link shows one button, which stops. The same runs without
JavaScript (axe-core, itself a script, checks the pages with JavaScript).

Elements are found by form field names, URLs and structure rather than by their wording,
since the new strings are being translated.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, newest_email

pytestmark = pytest.mark.browser

PROJECT_PATH = "/saint-aubin-les-vignes/projets/covoiturage-des-coteaux/"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _no_audit(page, context=""):
    """axe-core cannot run in a page without JavaScript."""


def _submit(page, form):
    button = form.locator("button[type='submit']")
    expect(button).to_have_count(1)
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_resident_follows_a_project_on_a_phone(new_context, live_site, javascript):
    audit = assert_accessible if javascript else _no_audit
    email = f"suivi-{uuid.uuid4().hex[:8]}@example.org"
    page = new_context(java_script_enabled=javascript, **PHONE).new_page()
    response = page.goto(live_site.url(PROJECT_PATH))
    assert response.status == 200, response.status

    form = page.locator("main form[method='post'][action^='/suivre/']")
    expect(form).to_have_count(1)
    audit(page, "project page with the follow form")
    form.locator("input[name='email']").fill("pas-une-adresse")
    response = _submit(page, form)
    assert response.status == 400, response.status
    expect(page.locator("main .form-errors")).to_be_visible()
    audit(page, "follow form with errors")

    form = page.locator("main form[method='post']").filter(has=page.locator("input[name='email']"))
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='frequency'][value='each']").check()
    response = _submit(page, form)
    assert response.status == 200, response.status
    expect(page.locator("main [role='status']")).to_be_visible()
    expect(page.locator("main input[name='email']")).to_have_count(0)
    audit(page, "follow: check your e-mail")

    message = newest_email(live_site.mail_dir, email)
    assert "/suivre/arreter/" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_content()
    confirm_urls = re.findall(r"https?://\S+/suivre/confirmer/[^/\s]+/", body)
    assert len(confirm_urls) == 1, body
    response = page.goto(confirm_urls[0])
    assert response.status == 200, response.status
    confirm = page.locator("main form[method='post']")
    expect(confirm).to_have_count(1)
    audit(page, "follow confirmation page")
    response = _submit(page, confirm)
    assert response.status == 200, response.status
    expect(page.locator("main [role='status']")).to_be_visible()
    expect(page.locator("main form[method='post']")).to_have_count(0)
    audit(page, "follow confirmed")

    # The stop link: one button, which stops.
    stop = page.locator("main a[href*='/suivre/arreter/']")
    expect(stop).to_have_count(1)
    stop.click()
    expect(page.locator("main form[method='post'] button[type='submit']")).to_have_count(1)
    audit(page, "stop following page")
    response = _submit(page, page.locator("main form[method='post']"))
    assert response.status == 200, response.status
    expect(page.locator("main form[method='post']")).to_have_count(0)
    audit(page, "stopped following")
