"""A resident joins the volunteer list of their commune on a phone, then uses their
personal link: confirm the sign-up, see and correct their data, withdraw.

The whole flow runs twice: with JavaScript, where axe-core checks every page it passes
through, and without JavaScript, which proves that nothing in it needs a script (axe-core
itself is a script and cannot run there).

The confirmation e-mail is read from the files Django's file backend writes for the
server. Elements are found by form field names, URLs and structure rather than by their
wording, since the new strings are being translated.
"""

import re
import uuid
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, assert_errors_tied_to_fields, newest_email

pytestmark = pytest.mark.browser

COMMUNE_PATH = "/saint-aubin-les-vignes/"
SIGNUP_SLUG = "devenir-volontaire"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# The form's required questions; the optional ones count only when the page asks them.
REQUIRED = [
    "first_name",
    "last_name",
    "birth_year",
    "gender",
    "hamlet",
    "social_category",
    "address",
    "lives_here",
    "consent",
]
# Without e-mail nor phone the form says so above the fields; it may mark them too.
MAY_BE_INVALID = {"email", "phone"}


def _no_audit(page, context=""):
    """axe-core cannot run in a page without JavaScript."""


def _submit(page, form):
    """Press the form's own submit button; return the response of the page it leads to."""
    with page.expect_navigation() as navigation:
        form.locator("button[type='submit']").click()
    return navigation.value


def _open_signup_page(page, live_site):
    """From the commune's page, follow its link to the sign-up page, as a resident would."""
    page.goto(live_site.url(COMMUNE_PATH))
    modules = page.locator("main nav[aria-labelledby='modules-heading']")
    link = modules.locator(f"a[href$='/{SIGNUP_SLUG}/']")
    expect(link).to_have_count(1)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(live_site.url(f"{COMMUNE_PATH}{SIGNUP_SLUG}/"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main #consent-text")).not_to_be_empty()


def _check_errors_are_tied_to_fields(page, form):
    """After an empty submission: every required field the form asks is marked invalid."""
    expected = {name for name in REQUIRED if form.locator(f"[name='{name}']").count()}
    assert {"first_name", "last_name", "consent"} <= expected
    assert_errors_tied_to_fields(page, form, expected, MAY_BE_INVALID)


def _fill_signup(form, person):
    form.locator("input[name='first_name']").fill(person["first_name"])
    form.locator("input[name='last_name']").fill(person["last_name"])
    form.locator("input[name='email']").fill(person["email"])
    form.locator("input[name='birth_year']").fill(str(person["birth_year"]))
    form.locator("input[name='gender'][value='female']").check()
    hamlet = form.locator("select[name='hamlet']")
    if hamlet.count():
        hamlet.select_option(index=1)  # the first hamlet, after “Choose…”
    form.locator("select[name='social_category']").select_option("5")
    form.locator("input[name='address']").fill(person["address"])
    form.locator("input[name='availability']").first.check()
    form.locator("input[name='lives_here']").check()
    form.locator("input[name='consent']").check()


def _person(first_name, birth_year):
    suffix = uuid.uuid4().hex[:8]
    return {
        "first_name": first_name,
        "last_name": f"Essai-{suffix}",
        "email": f"volontaire-{suffix}@example.org",
        "birth_year": birth_year,
        "address": "4 place de la Mairie",
    }


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_resident_signs_up_on_a_phone_confirms_corrects_and_withdraws(
    new_context, live_site, javascript
):
    audit = assert_accessible if javascript else _no_audit
    page = new_context(java_script_enabled=javascript, **PHONE).new_page()
    person = _person("Camille" if javascript else "Dominique", 1984 if javascript else 1969)

    # 1. Sign up: an empty form first, then the answers.
    _open_signup_page(page, live_site)
    signup_url = page.url
    audit(page, "sign-up form")
    form = page.locator("main form").filter(has=page.locator("input[name='first_name']"))
    response = _submit(page, form)
    assert response.status == 200, response.status
    expect(page).to_have_url(signup_url)
    _check_errors_are_tied_to_fields(page, form)
    audit(page, "sign-up form with errors")

    _fill_signup(form, person)
    response = _submit(page, form)
    assert response.status == 200, response.status
    expect(page).to_have_url(re.compile(re.escape(signup_url) + r"merci/\?par=courriel$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main a[href$='/lien/']")).to_be_visible()
    audit(page, "check your e-mail page")

    # 2. The confirmation e-mail: its link leads to a page with one button.
    body = newest_email(live_site.mail_dir, person["email"]).get_content()
    links = re.escape(signup_url) + r"(?:confirmer|mes-donnees)/[^/\s]+/"
    confirm_url, data_url = re.findall(links, body)[:2]
    assert "/confirmer/" in confirm_url, body
    assert "/mes-donnees/" in data_url, body
    response = page.goto(confirm_url)
    assert response.status == 200, response.status
    expect(page.locator("main")).to_contain_text(person["first_name"])
    confirm_form = page.locator("main form[method='post']")
    button = confirm_form.locator("button[type='submit']")
    expect(button).to_have_count(1)
    expect(button).to_have_text(re.compile(r"Confirm my sign-up|Confirmer mon inscription"))
    audit(page, "confirmation page")
    response = _submit(page, confirm_form)
    assert response.status == 200, response.status
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main .rich-text").first).not_to_have_text(re.compile(r"^\s*$"))
    audit(page, "sign-up confirmed page")
    # The welcome e-mail carries the same personal link as the page.
    assert data_url in newest_email(live_site.mail_dir, person["email"]).get_content()
    personal = page.locator("main a[href*='/mes-donnees/']")
    expect(personal).to_have_count(1)
    assert urljoin(page.url, personal.get_attribute("href")) == data_url

    # 3. The personal page shows the data; a correction is saved.
    personal.click()
    expect(page).to_have_url(data_url)
    data = page.locator("main .data-list")
    for value in (person["first_name"], person["last_name"], person["email"]):
        expect(data).to_contain_text(value)
    expect(data).to_contain_text(str(person["birth_year"]))
    expect(data).to_contain_text(person["address"])
    correction = page.locator("main form").filter(has=page.locator("input[name='address']"))
    expect(correction.locator("input[name='email']")).to_have_value(person["email"])
    new_address = "12 rue du Lavoir"
    correction.locator("input[name='address']").fill(new_address)
    response = _submit(page, correction)
    assert response.status == 200, response.status
    expect(page).to_have_url(data_url)
    expect(page.locator("main .messages[role='status'] .notice--success")).to_be_visible()
    expect(data).to_contain_text(new_address)
    expect(data).not_to_contain_text(person["address"])
    expect(correction.locator("input[name='address']")).to_have_value(new_address)
    audit(page, "personal page after a correction")

    # 4. Withdraw: a confirmation page, then everything is erased.
    page.locator("main a[href$='/retrait/']").click()
    expect(page).to_have_url(data_url + "retrait/")
    expect(page.locator("main")).to_contain_text(person["last_name"])
    audit(page, "withdrawal page")
    response = _submit(page, page.locator("main form[method='post']"))
    assert response.status == 200, response.status
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text(person["last_name"])
    audit(page, "erased page")

    # The personal link, and the confirmation link, no longer lead anywhere.
    for url in (data_url, confirm_url):
        response = page.goto(url)
        assert response.status == 404, f"{url}: {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        expect(page.locator("main a[href$='/lien/']")).to_be_visible()
        expect(page.locator("main")).not_to_contain_text(person["last_name"])
    audit(page, "link no longer valid page")
