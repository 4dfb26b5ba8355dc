"""The service-exchange board of Saint-Aubin-les-Vignes, where posts appear at once and
the town hall moderates afterwards.

A resident on a phone posts an offer without an account and confirms it from the e-mail;
another resident answers it through the relay form, and the poster's address is shown
nowhere; a third reports it, and the town hall hides it from the admin, with a reason the
poster receives. A resident subscribes to the weekly digest and unsubscribes in one click.

Posting, confirming and answering also run without JavaScript, which proves that none of
it needs a script (axe-core itself is a script and cannot run there); with JavaScript,
axe-core checks every public page the flows pass through.

E-mails are read from the files Django's file backend writes for the server. Elements are
found by form field names, URLs and structure rather than by their wording, since the new
strings are being translated.
"""

import re
import uuid
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    admin_login,
    assert_accessible,
    assert_admin_accessible,
    assert_errors_tied_to_fields,
    newest_email,
)

pytestmark = pytest.mark.browser

COMMUNE_PATH = "/saint-aubin-les-vignes/"
BOARD_PATH = f"{COMMUNE_PATH}echanges/"
STAFF = "secretariat-saint-aubin-les-vignes"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
POST_REQUIRED = {"kind", "category", "title", "description", "first_name", "email", "consent"}
CONTACT_REQUIRED = {"name", "email", "message"}
LISTING_PATH = re.compile(r"/annonce/(\d+)/$")


def _no_audit(page, context=""):
    """axe-core cannot run in a page without JavaScript."""


def _submit(page, form, button=None):
    """Press the form's submit button; return the response of the page it leads to."""
    button = button or form.locator("button[type='submit']")
    expect(button).to_have_count(1)
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def _post_form(page):
    return page.locator("main form[method='post']").filter(has=page.locator("input[name='title']"))


def _contact_form(page):
    return page.locator("main form[method='post']").filter(
        has=page.locator("textarea[name='message']")
    )


def _resident(prefix):
    suffix = uuid.uuid4().hex[:8]
    return {
        "word": f"Essai{suffix}",
        "title": f"Aide au potager Essai{suffix}",
        "description": "Je peux bêcher, semer et arroser votre potager deux heures par semaine.",
        "first_name": "Mireille",
        "email": f"{prefix}-{suffix}@example.org",
    }


def _fill_post(form, poster):
    form.locator("input[name='kind'][value='offer']").check()
    form.locator("select[name='category']").select_option(index=1)  # after “Choose…”
    form.locator("input[name='title']").fill(poster["title"])
    form.locator("textarea[name='description']").fill(poster["description"])
    hamlet = form.locator("select[name='hamlet']")
    if hamlet.count():
        hamlet.select_option(index=1)
    form.locator("input[name='availability']").fill("Le samedi matin")
    form.locator("input[name='first_name']").fill(poster["first_name"])
    form.locator("input[name='email']").fill(poster["email"])
    form.locator("input[name='consent']").check()


def _board_url(live_site):
    return live_site.url(BOARD_PATH)


def _post_and_confirm(page, live_site, poster, audit=_no_audit, with_errors=False):
    """Post an offer from the board's form and confirm it from the e-mail; the page ends
    on the private management page. Returns (manage URL, listing URL)."""
    board_url = _board_url(live_site)
    if page.url != board_url:
        page.goto(board_url)
    page.locator(f"main a[href$='{BOARD_PATH}publier/']").first.click()
    expect(page).to_have_url(board_url + "publier/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    audit(page, "form to post")
    form = _post_form(page)
    if with_errors:
        response = _submit(page, form)
        assert response.status == 200, response.status
        expect(page).to_have_url(board_url + "publier/")
        assert_errors_tied_to_fields(page, form, POST_REQUIRED)
        audit(page, "form to post with errors")

    _fill_post(form, poster)
    response = _submit(page, form)
    assert response.status == 200, response.status
    expect(page).to_have_url(board_url + "publier/envoye/")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    audit(page, "post sent page")

    # The e-mail: a link to confirm, and the private link to manage the post.
    body = newest_email(live_site.mail_dir, poster["email"]).get_content()
    assert poster["title"] in body, body
    links = re.escape(board_url) + r"(?:confirmer|gerer)/[^/\s]+/"
    found = re.findall(links, body)
    confirm_urls = [url for url in found if "/confirmer/" in url]
    manage_urls = [url for url in found if "/gerer/" in url]
    assert len(confirm_urls) == 1, body
    assert len(manage_urls) == 1, body
    confirm_url, manage_url = confirm_urls[0], manage_urls[0]

    # Opening the link shows one button; the GET alone confirms nothing (mail scanners
    # open links): the post is not on the board, and its management link leads back to
    # the confirmation until it is confirmed.
    response = page.goto(confirm_url)
    assert response.status == 200, response.status
    expect(page.locator("main")).to_contain_text(poster["title"])
    confirm_form = page.locator("main form[method='post']")
    expect(confirm_form).to_have_count(1)
    expect(confirm_form.locator("button[type='submit']")).to_have_count(1)
    audit(page, "confirmation page")
    unconfirmed = page.request.get(manage_url)
    assert unconfirmed.status == 200, unconfirmed.status
    assert "/confirmer/" in unconfirmed.url, unconfirmed.url
    assert poster["title"] not in page.request.get(f"{board_url}?q={poster['word']}").text()

    response = _submit(page, confirm_form)
    assert response.status == 200, response.status
    # The management link of the same post (each link is signed afresh, with the time).
    same_post = manage_url.rsplit("/", 2)[1].split("-")[0]
    expect(page).to_have_url(re.compile(re.escape(f"{board_url}gerer/{same_post}-") + r"[^/]+/$"))
    manage_url = page.url
    expect(page.locator("main .messages[role='status'] .notice--success")).to_be_visible()
    expect(page.locator("main")).to_contain_text(poster["title"])
    audit(page, "management page")
    listing_link = page.locator("main a[href*='/annonce/']")
    expect(listing_link).to_have_count(1)
    listing_url = urljoin(page.url, listing_link.get_attribute("href"))
    assert LISTING_PATH.search(listing_url), listing_url
    assert listing_url.startswith(board_url + "annonce/"), listing_url
    return manage_url, listing_url


def _filter_board(page, live_site, word):
    """The board's filter form (a GET form) with ``word`` as the search text."""
    board_url = _board_url(live_site)
    if page.url != board_url:
        page.goto(board_url)
    filters = page.locator("main form[method='get']").filter(has=page.locator("input[name='q']"))
    expect(filters).to_have_count(1)
    filters.locator("input[name='q']").fill(word)
    response = _submit(page, filters)
    assert response.status == 200, response.status
    expect(page).to_have_url(re.compile(re.escape(board_url) + r"\?(?:.*&)?q=" + word))
    return page.locator("main li.listing-card")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_resident_posts_on_a_phone_and_a_neighbour_answers_through_the_board(
    new_context, live_site, javascript
):
    audit = assert_accessible if javascript else _no_audit
    board_url = _board_url(live_site)
    poster = _resident("echange")

    # 1. From the commune's page, the board, as a resident on a phone finds it.
    page = new_context(java_script_enabled=javascript, **PHONE).new_page()
    page.goto(live_site.url(COMMUNE_PATH))
    modules = page.locator("main nav[aria-labelledby='modules-heading']")
    link = modules.locator(f"a[href$='{BOARD_PATH}']")
    expect(link).to_have_count(1)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(board_url)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main li.listing-card").first).to_be_visible()
    audit(page, "board")

    # 2. Post an offer (the empty form first), confirm it from the e-mail.
    _post_and_confirm(page, live_site, poster, audit, with_errors=True)

    # 3. The post is on the board, newest first, and found through the filters.
    page.goto(board_url)
    expect(page.locator("main li.listing-card").first).to_contain_text(poster["title"])
    assert poster["email"] not in page.content()
    cards = _filter_board(page, live_site, poster["word"])
    expect(cards).to_have_count(1)
    expect(cards).to_contain_text(poster["title"])
    assert poster["email"] not in page.content()
    audit(page, "filtered board")
    card_link = cards.locator("a[href*='/annonce/']")
    expect(card_link).to_have_count(1)
    listing_url = urljoin(page.url, card_link.get_attribute("href"))
    card_link.click()
    expect(page).to_have_url(listing_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(poster["title"])
    expect(page.locator("main")).to_contain_text(poster["first_name"])
    assert poster["email"] not in page.content()
    audit(page, "post page")

    # 4. A neighbour, in another browser, answers the post: errors first, then a message.
    neighbour = new_context(java_script_enabled=javascript).new_page()
    sender = {
        "name": "Bernard Voisin",
        "email": f"voisin-{uuid.uuid4().hex[:8]}@example.org",
        "message": f"Bonjour, mon potager a bien besoin d'aide ! Réf. {uuid.uuid4().hex[:6]}",
    }
    response = neighbour.goto(listing_url)
    assert response.status == 200, response.status
    assert poster["email"] not in neighbour.content()
    contact = _contact_form(neighbour)
    response = _submit(neighbour, contact)
    assert response.status == 200, response.status
    expect(neighbour).to_have_url(listing_url)
    assert_errors_tied_to_fields(neighbour, contact, CONTACT_REQUIRED)
    assert poster["email"] not in neighbour.content()
    audit(neighbour, "post page with errors in the contact form")

    contact.locator("input[name='name']").fill(sender["name"])
    contact.locator("input[name='email']").fill(sender["email"])
    contact.locator("textarea[name='message']").fill(sender["message"])
    response = _submit(neighbour, contact)
    assert response.status == 200, response.status
    expect(neighbour).to_have_url(listing_url)
    expect(neighbour.locator("main .messages[role='status'] .notice--success")).to_be_visible()
    expect(neighbour.locator("main [aria-invalid='true']")).to_have_count(0)
    assert poster["email"] not in neighbour.content()
    audit(neighbour, "post page after the message was sent")

    # The poster receives the message, and answers straight to the neighbour.
    relayed = newest_email(live_site.mail_dir, poster["email"])
    assert sender["email"] in str(relayed.get("Reply-To", "")), relayed.get("Reply-To")
    body = relayed.get_content()
    assert sender["message"] in body, body
    assert sender["email"] not in body  # only in Reply-To


def test_a_reported_post_is_hidden_by_the_town_hall(new_context, live_site):
    board_url = _board_url(live_site)
    poster = _resident("signale")
    page = new_context().new_page()
    _manage_url, listing_url = _post_and_confirm(page, live_site, poster)
    pk = LISTING_PATH.search(listing_url)[1]

    # 1. A resident reports the post from its page.
    resident = new_context().new_page()
    resident.goto(listing_url)
    resident.locator(f"main a[href$='/annonce/{pk}/signaler/']").click()
    expect(resident).to_have_url(listing_url + "signaler/")
    expect(resident.locator("main")).to_contain_text(poster["title"])
    report = resident.locator("main form[method='post']").filter(
        has=resident.locator("input[name='reason']")
    )
    response = _submit(resident, report)
    assert response.status == 200, response.status
    assert_errors_tied_to_fields(resident, report, {"reason"})
    assert_accessible(resident, "report form with errors")
    report.locator("input[name='reason'][value='scam']").check()
    report.locator("textarea[name='comment']").fill("Demande un virement avant de venir.")
    response = _submit(resident, report)
    assert response.status == 200, response.status
    expect(resident).to_have_url(listing_url)
    expect(resident.locator("main .messages[role='status'] .notice--success")).to_be_visible()

    # 2. The town hall: the reported post heads the moderation queue.
    staff = new_context().new_page()
    admin_login(staff, live_site, STAFF)
    response = staff.goto(live_site.url("/admin/exchange_listings/"))
    assert response.status == 200, response.status
    first_row = staff.locator("main table tbody tr").first
    expect(first_row).to_contain_text(poster["title"])
    moderate = first_row.locator(f"a[href$='/admin/exchange_listings/moderate/{pk}/']")
    expect(moderate).to_have_count(1)
    if not moderate.is_visible():  # among the row's “More” actions
        first_row.locator("[data-w-dropdown-target='toggle']").first.click()
    moderate.click()
    moderate_url = live_site.url(f"/admin/exchange_listings/moderate/{pk}/")
    expect(staff).to_have_url(moderate_url)
    expect(staff.locator("main")).to_contain_text(poster["title"])
    expect(staff.locator("main")).to_contain_text("Demande un virement")
    assert_admin_accessible(staff, "the moderation screen", ".exchange-moderation")

    # 3. Hide it: a reason is required, then the poster is told why.
    decision = staff.locator("main form[method='post']").filter(
        has=staff.locator("textarea[name='reason']")
    )
    hide = decision.locator("button[name='action'][value='hidden']")
    response = _submit(staff, decision, hide)
    assert response.status == 200, response.status
    expect(staff).to_have_url(moderate_url)
    expect(decision.locator("textarea[name='reason']")).to_have_attribute("aria-invalid", "true")
    reason = f"Demander de l'argent d'avance est interdit ici ({uuid.uuid4().hex[:6]})."
    decision.locator("textarea[name='reason']").fill(reason)
    response = _submit(staff, decision, hide)
    assert response.status == 200, response.status
    expect(staff).to_have_url(live_site.url("/admin/exchange_listings/"))
    expect(staff.locator(".messages .success")).to_have_count(1)

    # 4. The post has left the board; its page says so.
    cards = _filter_board(resident, live_site, poster["word"])
    expect(cards).to_have_count(0)
    assert poster["title"] not in resident.request.get(board_url).text()
    response = resident.goto(listing_url)
    assert response.status == 404, response.status
    expect(resident.get_by_role("heading", level=1)).to_have_count(1)
    expect(resident.locator(f"main a[href$='{BOARD_PATH}']")).to_be_visible()
    expect(_contact_form(resident)).to_have_count(0)
    assert_accessible(resident, "page of a post no longer on the board")
    assert resident.request.get(listing_url + "signaler/").status == 404

    body = newest_email(live_site.mail_dir, poster["email"]).get_content()
    assert reason in body, body


def test_resident_subscribes_to_the_digest_and_unsubscribes(new_context, live_site):
    board_url = _board_url(live_site)
    email = f"lettre-{uuid.uuid4().hex[:8]}@example.org"
    page = new_context(**PHONE).new_page()
    page.goto(board_url)
    page.locator(f"main a[href$='{BOARD_PATH}lettre/']").first.click()
    expect(page).to_have_url(board_url + "lettre/")
    assert_accessible(page, "digest form")
    form = page.locator("main form[method='post']").filter(has=page.locator("input[name='email']"))
    form.locator("input[name='email']").fill("pas-une-adresse")
    response = _submit(page, form)
    assert response.status == 200, response.status
    assert_errors_tied_to_fields(page, form, {"email"})
    assert_accessible(page, "digest form with errors")
    form.locator("input[name='email']").fill(email)
    response = _submit(page, form)
    assert response.status == 200, response.status
    expect(page.locator("main [role='status']")).to_be_visible()
    expect(page.locator("main form[method='post'] input[name='email']")).to_have_count(0)
    assert_accessible(page, "digest: check your e-mail")

    # The e-mail's link shows one button; a GET subscribes nobody.
    body = newest_email(live_site.mail_dir, email).get_content()
    confirm_urls = re.findall(re.escape(board_url) + r"lettre/confirmer/[^/\s]+/", body)
    assert len(confirm_urls) == 1, body
    response = page.goto(confirm_urls[0])
    assert response.status == 200, response.status
    confirm = page.locator("main form[method='post']")
    expect(confirm).to_have_count(1)
    expect(page.locator("main a[href*='/exchange/desabonnement/']")).to_have_count(0)
    assert_accessible(page, "digest confirmation page")
    response = _submit(page, confirm)
    assert response.status == 200, response.status
    expect(page.locator("main [role='status']")).to_be_visible()
    expect(page.locator("main form[method='post']")).to_have_count(0)
    assert_accessible(page, "digest subscription confirmed")

    # The unsubscribe link: one button, which unsubscribes.
    unsubscribe = page.locator("main a[href*='/exchange/desabonnement/']")
    expect(unsubscribe).to_have_count(1)
    unsubscribe_url = urljoin(page.url, unsubscribe.get_attribute("href"))
    assert re.fullmatch(
        re.escape(live_site.url("/exchange/desabonnement/")) + r"[^/\s]+/", unsubscribe_url
    ), unsubscribe_url
    unsubscribe.click()
    expect(page).to_have_url(unsubscribe_url)
    button = page.locator("main form[method='post'] button[type='submit']")
    expect(button).to_have_count(1)
    assert_accessible(page, "unsubscribe page")
    response = _submit(page, page.locator("main form[method='post']"))
    assert response.status == 200, response.status
    expect(page.locator("main form[method='post']")).to_have_count(0)
    expect(page.locator(f"main a[href$='{BOARD_PATH}']")).to_be_visible()
    assert_accessible(page, "unsubscribed page")

    # The link is spent.
    response = page.goto(unsubscribe_url)
    assert response.status == 404, response.status
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("main form[method='post']")).to_have_count(0)
    assert_accessible(page, "spent unsubscribe link")
