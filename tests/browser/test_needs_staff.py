"""The town hall's side of the call for needs, in the demo network: the secretariat of La
Chapelle-sur-Grosne (whose call asks for approval) rejects a need waiting for it with a reason,
types a need a resident handed in on paper, and prints the letter with the resident's
personal link. axe-core checks the screens the module adds to the admin.

Elements are found by form field names, URLs and structure rather than by their wording,
since the new strings are being translated.
"""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import admin_login, assert_admin_accessible

pytestmark = pytest.mark.browser

STAFF = "secretariat-la-chapelle-sur-grosne"
INDEX = "/admin/needs_list/"
MODERATE = re.compile(r"/admin/needs_list/moderate/(\d+)/$")
ENTERED = re.compile(r"/admin/needs_list/entered/(\d+)/$")


def _submit(page, form, button=None):
    button = button or form.locator("button[type='submit']").first
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def test_the_town_hall_moderates_and_types_a_paper_need(new_context, live_site):
    staff = new_context().new_page()
    admin_login(staff, live_site, STAFF)

    # 1. The needs waiting for approval.
    response = staff.goto(live_site.url(f"{INDEX}?status=pending"))
    assert response.status == 200, response.status
    assert_admin_accessible(staff, "the needs listing")
    moderate = staff.locator("main table tbody tr a[href*='/admin/needs_list/moderate/']").first
    expect(moderate).to_have_count(1)
    staff.goto(moderate.get_attribute("href"))
    assert MODERATE.search(staff.url), staff.url
    moderate_url = staff.url
    assert_admin_accessible(staff, "the screen of one need", ".needs-moderation")

    # 2. Reject it: the reason is required.
    decision = staff.locator("main form[method='post']").filter(
        has=staff.locator("textarea[name='reason']")
    )
    reject = decision.locator("button[name='action'][value='rejected']")
    response = _submit(staff, decision, reject)
    assert response.status == 200, response.status
    expect(staff).to_have_url(moderate_url)
    expect(decision.locator("textarea[name='reason']")).to_have_attribute("aria-invalid", "true")
    assert_admin_accessible(staff, "the moderation form with an error", ".needs-moderation")
    decision.locator("textarea[name='reason']").fill("Hors du champ de la commune.")
    response = _submit(staff, decision, reject)
    assert response.status == 200, response.status
    expect(staff).to_have_url(re.compile(re.escape(live_site.url(INDEX))))
    expect(staff.locator(".messages .success")).to_have_count(1)

    # 3. A need handed in on paper, typed by the secretariat.
    response = staff.goto(live_site.url(f"{INDEX}new/"))
    assert response.status == 200, response.status
    form = staff.locator("main form[method='POST']")
    assert_admin_accessible(staff, "the form of a typed need", "main form")
    title = f"Un arrêt de car abrité ({uuid.uuid4().hex[:6]})"
    form.locator("input[name='kind'][value='need']").check()
    form.locator("input[name='title']").fill(title)
    form.locator("textarea[name='description']").fill("Déposé au guichet par un habitant.")
    form.locator("select[name='channel']").select_option("paper")
    form.locator("input[name='consent']").check()
    response = _submit(staff, form, form.locator("footer button[type='submit']").first)
    assert response.status == 200, response.status
    assert ENTERED.search(staff.url), staff.url
    expect(staff.locator("main")).to_contain_text(title)
    assert_admin_accessible(staff, "the page after a typed need", ".needs-entered")

    # 4. The letter with the personal link, for a window envelope.
    letter = staff.locator(".needs-entered form[method='post']")
    letter.locator("input[name='recipient']").fill("M. Jean Perrin")
    letter.locator("textarea[name='address']").fill(
        "2 chemin des Varennes\n71250 La Chapelle-sur-Grosne"
    )
    response = _submit(staff, letter)
    assert response.status == 200, response.status
    body = staff.locator("body")
    expect(body).to_contain_text("M. Jean Perrin")
    expect(body).to_contain_text("2 chemin des Varennes")
    expect(body).to_contain_text(re.compile(r"/gerer/[^/\s]+/"))
    expect(staff.locator("svg.qr")).to_have_count(1)
