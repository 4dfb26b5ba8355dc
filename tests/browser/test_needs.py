"""The call for needs of Saint-Aubin-les-Vignes (demo: open, needs published at once).

A resident on a phone finds the open call from the commune's «Needs and ideas» page,
proposes a need without an account and confirms it from the e-mail; the need is then in
the call's list, and the resident is offered one-click supports. A neighbour supports
another need (confirmed from its e-mail) and sees its count grow; then, remembered as
confirmed in this call, supports a third in one click. axe-core
finds no serious or critical violation on the index, the call, the form, a need's page and
the results. Proposing also works without JavaScript.

E-mails are read from the files Django's file backend writes for the server. Elements are
found by form field names, URLs and structure rather than by their wording.
"""

import re
import uuid
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_errors_tied_to_fields, newest_email

pytestmark = pytest.mark.browser

INDEX_PATH = "/saint-aubin-les-vignes/besoins/"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PROPOSE_REQUIRED = {"title", "theme", "email", "consent"}


def _no_audit(page, context=""):
    """axe-core cannot run in a page without JavaScript."""


def _submit(page, form):
    button = form.locator("button[type='submit']")
    expect(button).to_have_count(1)
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def _open_call_url(page, live_site, audit):
    page.goto(live_site.url(INDEX_PATH))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    audit(page, "needs index")
    link = page.locator("main .call-card--open h3 a").first
    expect(link).to_be_visible()
    return urljoin(page.url, link.get_attribute("href"))


def _support_count(page):
    return int(page.locator("#support-count").inner_text().strip())


def _propose_and_confirm(page, live_site, call_url, audit):
    email = f"besoin-{uuid.uuid4().hex[:8]}@example.org"
    title = f"Un abri pour le car scolaire {uuid.uuid4().hex[:6]}"
    page.goto(call_url)
    audit(page, "call page")
    page.locator(
        f"main a[href$='{call_url.split('://', 1)[1].split('/', 1)[1]}proposer/']"
    ).first.click()
    expect(page).to_have_url(call_url + "proposer/")
    audit(page, "form to propose")
    form = page.locator("main form[method='post']").filter(has=page.locator("input[name='title']"))
    response = _submit(page, form)
    assert response.status == 200, response.status
    assert_errors_tied_to_fields(page, form, PROPOSE_REQUIRED)
    audit(page, "form with errors")

    form.locator("input[name='kind'][value='need']").check()
    form.locator("input[name='title']").fill(title)
    form.locator("textarea[name='description']").fill("Les enfants attendent sous la pluie.")
    form.locator("select[name='theme']").select_option("autre")
    hamlet = form.locator("select[name='hamlet']")
    if hamlet.count():
        hamlet.select_option(index=1)
    form.locator("input[name='email']").fill(email)
    expect(form.locator("input[name='wants_outcome']")).to_be_checked()
    form.locator("input[name='consent']").check()
    response = _submit(page, form)
    assert response.status == 200, response.status
    expect(page).to_have_url(call_url + "proposer/envoye/")

    body = newest_email(live_site.mail_dir, email).get_content()
    confirm = re.findall(re.escape(call_url) + r"confirmer/[^/\s]+/", body)
    assert len(confirm) == 1, body
    page.goto(confirm[0])
    confirm_form = page.locator("main form[method='post']")
    expect(confirm_form).to_have_count(1)
    audit(page, "confirmation page")
    response = _submit(page, confirm_form)
    assert response.status == 200, response.status
    assert "/gerer/" in page.url, page.url
    page.goto(call_url + "?tri=recent")
    expect(page.locator("main .need-card h3 a", has_text=title)).to_have_count(1)
    return email


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_resident_proposes_and_supports_on_a_phone(new_context, live_site, javascript):
    audit = assert_accessible if javascript else _no_audit
    page = new_context(java_script_enabled=javascript, **PHONE).new_page()
    call_url = _open_call_url(page, live_site, audit)
    _propose_and_confirm(page, live_site, call_url, audit)
    if not javascript:
        return

    # The resident now supports in one click (their confirmed need set the cookie).
    page.goto(call_url)
    first = urljoin(page.url, page.locator("main .need-card h3 a").first.get_attribute("href"))
    page.goto(first)
    expect(page.locator("main input[name='action'][value='one_click']")).to_have_count(1)

    # A neighbour, on another phone, supports a need: an e-mail, a link to confirm, then
    # the count grows.
    page = new_context(**PHONE).new_page()
    supporter = f"soutien-{uuid.uuid4().hex[:8]}@example.org"
    page.goto(call_url)
    needs = page.locator("main .need-card h3 a")
    expect(needs.first).to_be_visible()
    first_url = urljoin(page.url, needs.nth(0).get_attribute("href"))
    second_url = urljoin(page.url, needs.nth(1).get_attribute("href"))
    page.goto(first_url)
    audit(page, "need page")
    before = _support_count(page)
    form = page.locator("main form[method='post']").filter(has=page.locator("input[name='email']"))
    form.locator("input[name='email']").fill(supporter)
    _submit(page, form)
    assert _support_count(page) == before
    body = newest_email(live_site.mail_dir, supporter).get_content()
    links = re.findall(re.escape(call_url) + r"soutien/confirmer/[^/\s]+/", body)
    assert len(links) == 1, body
    page.goto(links[0])
    _submit(page, page.locator("main form[method='post']"))
    expect(page).to_have_url(first_url)
    assert _support_count(page) == before + 1

    # Remembered as confirmed in this call: the next support is one click, no e-mail.
    page.goto(second_url)
    second_before = _support_count(page)
    one_click = page.locator("main form[method='post']").filter(
        has=page.locator("input[name='action'][value='one_click']")
    )
    expect(one_click).to_have_count(1)
    expect(page.locator("main input[name='email']")).to_have_count(0)
    _submit(page, one_click)
    assert _support_count(page) == second_before + 1

    page.goto(call_url + "resultats/")
    expect(page.locator("main table caption")).to_have_count(2)
    audit(page, "results")
