"""Commune staff run a draw by lot end to end on the demo network, in the admin; a resident
drawn accepts from the link in their invitation; the public draw page shows everything
needed to check the draw.

Every admin step is done in a browser context without JavaScript, which proves that none
of them needs a script (the quota totals script is progressive enhancement). A second
context, with JavaScript and the staff's session, runs axe-core on the run screen and checks
that the totals follow the typing. The public pages (the invitation, the public draw page,
the micro-parliament page) are checked by axe-core in a context with no admin session.

The server runs tasks at once (``tests/browser/server_settings.py``: no worker beside it),
so the computation has ended when the screen comes back after “Compute”; with a worker, the
screen of a computing draw reloads itself through an HTTP ``Refresh`` header, which
:func:`_wait_until_computed` would follow.

The invitation e-mail is read from the files Django's file backend writes for the server.
Elements are found by field names, action values, ids and URLs rather than by wording,
since the strings are being translated.
"""

import re
import time
import uuid
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from sortition import draw as draw_by_lot
from sortition import verify
from tests.browser.helpers import (
    admin_login,
    assert_accessible,
    assert_admin_accessible,
    newest_email,
)

pytestmark = pytest.mark.browser

STAFF = "secretariat-saint-aubin-les-vignes"
COMMUNE = "Saint-Aubin-les-Vignes"
PARLIAMENT_PATH = "/saint-aubin-les-vignes/micro-parlement/"
SEATS = {"volunteer_list": 3, "electoral_roll": 3}
CATEGORIES = ["gender", "age_band"]
RANDOMNESS = "7 19 23 38 44 / 2"
CANONICAL = "7.19.23.38.44./2./"
RUN_URL = re.compile(r"/admin/participation_draws/run/(\d+)/$")
COMPUTE_TIMEOUT = 120  # seconds
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _post(page, action, scope=None):
    """Press the submit button of a step of the run screen; return the response."""
    scope = scope or page.locator("main")
    button = scope.locator(f"button[type='submit'][name='action'][value='{action}']")
    expect(button).to_have_count(1)
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response.status == 200, f"{action}: {response.status}"
    return response


def _expect_success(page):
    """Wagtail's messages: a success, no error."""
    messages = page.locator(".messages")
    expect(messages.locator(".success")).to_have_count(1)
    expect(messages.locator(".error")).to_have_count(0)


def _create_draw(page, live_site, title):
    """The admin's add form of a draw: the micro-parliament, the seats per list, the
    categories. Saving leads to the draw's run screen; returns its URL."""
    page.goto(live_site.url("/admin/participation_draws/new/"))
    form = page.locator("main form").filter(has=page.locator("#id_title"))
    form.locator("select[name='commune']").select_option(label=COMMUNE)
    parliament = form.locator("select[name='micro_parliament']")
    options = parliament.locator("option:not([value=''])")
    expect(options).to_have_count(1)  # the commune's own micro-parliament
    parliament.select_option(options.first.get_attribute("value"))
    form.locator("input[name='title']").fill(title)
    form.locator("input[name='panel_size']").fill(str(sum(SEATS.values())))
    form.locator("input[name='include_volunteer_list']").check()
    # The electoral roll of the demo, the commune's only list imported from a file.
    pools = form.locator("input[name='pools']")
    expect(pools).to_have_count(1)
    pools.check()
    for source, seats in SEATS.items():
        form.locator(f"input[name='seats_{source}']").fill(str(seats))
    for category in CATEGORIES:
        form.locator(f"input[name='categories'][value='{category}']").check()

    with page.expect_navigation() as navigation:
        form.locator("button[type='submit']:not([name])").first.click()
    assert navigation.value.status == 200, navigation.value.status
    expect(page).to_have_url(RUN_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    return page.url


def _quota_inputs(page):
    return page.locator("#draw-quotas ~ form input.draw-quota-input:not([disabled])")


def _wait_until_computed(page):
    """The screen of a computing draw refreshes itself (HTTP ``Refresh``, no script)."""
    deadline = time.monotonic() + COMPUTE_TIMEOUT
    while not page.locator("#draw-result").count():
        error = page.locator("#draw-compute .help-block, #draw-feasibility")
        assert not error.count(), error.first.inner_text()
        assert time.monotonic() < deadline, "the computation did not end"
        page.wait_for_timeout(500)
    expect(page.locator("#draw-progress")).to_have_count(0)


def test_staff_run_a_draw_end_to_end_and_the_public_can_check_it(new_context, live_site):
    title = f"Tirage d'essai {uuid.uuid4().hex[:8]}"

    # 1. Staff, without JavaScript: create the draw.
    admin_context = new_context(java_script_enabled=False)
    admin = admin_context.new_page()
    admin_login(admin, live_site, STAFF)
    run_url = _create_draw(admin, live_site, title)
    draw_id = RUN_URL.search(run_url)[1]
    settings = admin.locator("section[aria-labelledby='draw-settings']")
    expect(settings).to_contain_text("Micro-parlement")
    expect(settings.locator("dd").nth(2)).to_have_text(str(sum(SEATS.values())))

    # 2. Quotas: proposed from the pool's shares, then saved from the form (the counts of
    # the pool sit beside them, and the totals per category below).
    _post(admin, "proportional")
    _expect_success(admin)
    inputs = _quota_inputs(admin)
    assert inputs.count() >= 2 * 4, inputs.count()  # at least two values per category
    for i in range(inputs.count()):
        expect(inputs.nth(i)).not_to_have_value("")
    expect(admin.locator(".draw-sums li")).to_have_count(len(CATEGORIES) + 1)  # + source

    # The same screen with JavaScript, in a second context sharing the staff's session:
    # axe-core, and the totals per category that follow the typing (not saved).
    audit_context = new_context(storage_state=admin_context.storage_state())
    audit = audit_context.new_page()
    audit.goto(run_url)
    assert_admin_accessible(audit, "the run screen of a draft draw")
    quota_row = (
        audit.locator(".draw-quota-table tbody tr")
        .filter(has=audit.locator("input.draw-quota-input:not([disabled])"))
        .first
    )
    category = quota_row.get_attribute("data-category")
    rows = audit.locator(".draw-quota-table tbody tr").all()
    categories = list(dict.fromkeys(r.get_attribute("data-category") for r in rows))
    total = audit.locator(".draw-sums li").nth(categories.index(category))
    total = total.locator(".draw-sum-min")
    before = int(total.inner_text())
    low = quota_row.locator("input[data-bound='min']")
    low.fill(str(int(low.input_value()) + 2))
    expect(total).to_have_text(str(before + 2))

    _post(admin, "quotas")
    _expect_success(admin)
    expect(admin).to_have_url(run_url)

    # 3. Freeze the pool, then compute the chances.
    _post(admin, "freeze")
    _expect_success(admin)
    expect(admin.locator("#draw-freeze")).to_have_count(0)
    _post(admin, "compute")
    _wait_until_computed(admin)
    result = admin.locator("section[aria-labelledby='draw-result']")
    percent = re.compile(r"\d+(?:[.,]\d+)?\s*\(\d+ %\)")
    # Lowest chance, highest chance (“0.27 (27 %)”), panels in the lottery, rounding, time.
    facts = result.locator("dl > dd")
    expect(facts).to_have_count(5)
    expect(facts.nth(0)).to_have_text(percent)
    expect(facts.nth(1)).to_have_text(percent)
    expect(facts.nth(2)).to_have_text("1000")
    expect(result.locator("table tbody tr").first).to_be_visible()

    # The run screen with a result and the next form, with JavaScript.
    audit.goto(run_url)
    expect(audit.locator("#draw-publish")).to_be_visible()
    assert_admin_accessible(audit, "the run screen of a computed draw")

    # 4. Publish the commitment and the announced source and format of the randomness,
    # having read what will be public.
    source = "Le tirage du Loto de samedi prochain"
    publish = admin.locator("section[aria-labelledby='draw-publish'] form")
    publish.locator("input[name='randomness_kind'][value='loto']").check()
    publish.locator("textarea[name='randomness_source']").fill(source)
    publish.locator("input[name='reviewed']").check()
    _post(admin, "publish", publish)
    _expect_success(admin)
    commitment_section = admin.locator("section[aria-labelledby='draw-commitment']")
    commitment = commitment_section.locator("code.draw-hash").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", commitment), commitment
    expect(commitment_section).to_contain_text(source)

    # 5. The randomness: refused without the confirmation box, then drawn with it.
    randomness = admin.locator("section[aria-labelledby='draw-randomness'] form")
    randomness.locator("input[name='randomness']").fill(RANDOMNESS)
    _post(admin, "randomness", randomness)
    expect(admin.locator(".messages .error")).to_have_count(1)
    expect(admin.locator("#draw-panel")).to_have_count(0)
    confirm = randomness.locator("input[name='confirm']")
    expect(confirm).to_have_attribute("aria-invalid", "true")
    expect(randomness.locator("input[name='randomness']")).to_have_value(RANDOMNESS)
    confirm.check()
    _post(admin, "randomness", randomness)
    _expect_success(admin)
    expect(commitment_section).to_contain_text(CANONICAL)
    # The panel number, “n / 1000”.
    number = commitment_section.locator("dd").filter(has_text=re.compile(r"^\s*\d+ / 1000\s*$"))
    expect(number).to_have_count(1)
    panel_number = int(number.inner_text().split("/")[0])
    assert 1 <= panel_number <= 1000, panel_number

    panel = admin.locator("section[aria-labelledby='draw-panel'] table tbody tr")
    expect(panel).to_have_count(sum(SEATS.values()))

    # 6. Invite the people drawn; someone from the volunteer list has an e-mail address.
    _post(admin, "invite")
    _expect_success(admin)
    expect(admin.locator("#draw-panel ~ form button[value='invite']")).to_have_count(0)
    addresses = [
        found.group(0)
        for found in (EMAIL.search(row.locator("td").nth(1).inner_text()) for row in panel.all())
        if found
    ]
    assert addresses, panel.all_inner_texts()
    pending = panel.locator("button[value='accepted']")
    expect(pending).to_have_count(sum(SEATS.values()))  # everyone is invited
    address = addresses[0]
    row = panel.filter(has_text=address)
    pseudonym = row.locator("th[scope='row']").inner_text().split()[0]
    resident_name = row.locator("td").first.inner_text().strip()
    first_name = resident_name.split()[0]
    public_url = urljoin(
        admin.url,
        admin.locator(
            "section[aria-labelledby='draw-settings'] a[href*='/tirages/']"
        ).get_attribute("href"),
    )
    assert public_url == live_site.url(f"{PARLIAMENT_PATH}tirages/{draw_id}/"), public_url

    body = newest_email(live_site.mail_dir, address).get_content()
    invitation_urls = re.findall(r"https?://\S+/invitation/[^/\s]+/", body)
    assert len(invitation_urls) == 1, body
    invitation_url = invitation_urls[0]
    assert invitation_url.startswith(live_site.url(f"{PARLIAMENT_PATH}invitation/")), body

    audit.goto(run_url)
    assert_admin_accessible(audit, "the run screen of a drawn panel")

    # 7. The resident, in a browser with no admin session, accepts and shows their name.
    resident = new_context().new_page()
    response = resident.goto(invitation_url)
    assert response.status == 200, response.status
    expect(resident.get_by_role("heading", level=1)).to_have_count(1)
    expect(resident.locator("main .lead")).to_contain_text(first_name)
    assert_accessible(resident, "invitation page")
    answer = resident.locator("main form[method='post']")
    answer.locator("input[name='show_name']").check()
    shown_name = f"{first_name} E."
    answer.locator("input[name='public_name']").fill(shown_name)
    with resident.expect_navigation() as navigation:
        answer.locator("button[name='answer'][value='accept']").click()
    assert navigation.value.status == 200, navigation.value.status
    expect(resident).to_have_url(invitation_url)
    expect(resident.locator("main form button[name='answer']")).to_have_count(0)
    assert_accessible(resident, "invitation accepted page")

    # The town hall sees the answer.
    admin.goto(run_url)
    expect(row.locator("button[value='accepted']")).to_have_count(0)
    expect(panel.locator("button[value='accepted']")).to_have_count(sum(SEATS.values()) - 1)
    expect(admin.locator("button[value='invite_alternate']")).to_have_count(0)

    # Someone else declines on the phone: their seat, and it alone, is offered to the next
    # alternate of the published order (without JavaScript).
    declining = panel.filter(has=admin.locator("button[value='declined']")).first
    declined = declining.locator("th[scope='row']").inner_text().split()[0]
    seat = admin.locator("tbody.draw-seat").filter(has_text=declined)
    _post(admin, "declined", seat)
    _expect_success(admin)
    offer = admin.locator("button[value='invite_alternate']")
    expect(offer).to_have_count(1)
    expect(seat.locator("button[value='invite_alternate']")).to_have_count(1)
    alternate = re.search(r"\(([^)]+)\)", offer.inner_text())[1]
    audit.goto(run_url)
    assert_admin_accessible(audit, "the run screen with an empty seat")
    _post(admin, "invite_alternate", seat)
    _expect_success(admin)
    expect(admin.locator("button[value='invite_alternate']")).to_have_count(0)
    expect(seat.locator("th[scope='row']")).to_have_count(2)
    expect(seat.locator("th[scope='row']").nth(1)).to_contain_text(alternate)
    expect(seat.locator("button[value='accepted']")).to_have_count(1)

    # 8. The public draw page: the commitment, the randomness, the panel, the name shown.
    response = resident.goto(public_url)
    assert response.status == 200, response.status
    main = resident.locator("main")
    expect(resident.get_by_role("heading", level=1)).to_have_text(title)
    expect(main.locator("section[aria-labelledby='commitment-heading']")).to_contain_text(
        commitment
    )
    expect(main.locator("blockquote.draw-source")).to_have_text(source)
    drawn = main.locator("section[aria-labelledby='result-heading']")
    expect(drawn).to_contain_text(CANONICAL)
    expect(drawn.locator("dd").nth(1)).to_contain_text(str(panel_number))
    expect(drawn.locator("dd").nth(1)).to_contain_text("1000")
    # One line per seat: its history, the person drawn first.
    people = drawn.locator("ul.draw-seats > li")
    expect(people).to_have_count(sum(SEATS.values()))
    expect(people.filter(has_text=pseudonym)).to_contain_text(f"{pseudonym} ({shown_name})")
    expect(people.filter(has_text=declined)).to_contain_text(alternate)
    # Only the member who agreed to show a name is named, with the name they chose.
    named = [text for text in people.all_inner_texts() if re.search(r"\w+ \(", text)]
    assert len(named) == 1, named
    expect(main).not_to_contain_text(resident_name)
    facts = main.locator("section[aria-labelledby='facts-heading'] dd")
    expect(facts).to_have_count(6)  # pool, seats, lowest, highest chance, published, drawn
    expect(facts.nth(2)).to_have_text(re.compile(r"^\d+(?:[.,]\d)?\s%$"))
    expect(facts.nth(3)).to_have_text(re.compile(r"^\d+(?:[.,]\d)?\s%$"))
    assert_accessible(resident, "public draw page")

    # The published file: anyone can check it and re-derive the panel from the randomness.
    draw_file = main.locator("section[aria-labelledby='verify-heading'] a[download]")
    expect(draw_file).to_have_count(1)
    download = resident.request.get(urljoin(public_url, draw_file.get_attribute("href")))
    assert download.ok, download.status
    document = download.json()
    assert document["commitment"] == commitment
    report = verify(document, RANDOMNESS)
    assert report.ok, report.checks
    derived = draw_by_lot(document, RANDOMNESS)
    assert derived["panel_number"] == panel_number
    assert sorted(derived["members"]) == sorted(
        people.nth(i).locator("code").first.inner_text() for i in range(people.count())
    )

    # 9. The micro-parliament page lists the draw and the new member.
    resident.locator(f"main header a[href='{PARLIAMENT_PATH}']").click()
    expect(resident).to_have_url(live_site.url(PARLIAMENT_PATH))
    expect(resident.locator(f"main a[href$='/tirages/{draw_id}/']")).to_have_text(title)
    expect(resident.locator("main")).to_contain_text(shown_name)
    assert_accessible(resident, "micro-parliament page")
