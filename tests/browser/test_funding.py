"""The funding guide: a visitor on a phone narrows Saint-Aubin-les-Vignes' guide to open
grants for shared gardens and reads a source's page; the town hall records a granted
application, with a document, for one of its projects and the project page shows it.

The visitor's flow also runs without JavaScript, which proves that the filters need no
script (axe-core itself is a script and cannot run there); with JavaScript, axe-core
checks every public page the flows pass through, and the admin form as the other admin
checks do (no critical violation on the page, no serious one in what we configured).

The expected sources come from the demo content (the funding module's data files read by
tests.demo_helpers, and project_catalog.funding.demo_content), not from hard-coded counts.
Elements are found by form field names, option values, URLs and structure rather than by
their wording, since the new strings are being translated; the names of programmes,
categories and projects are data, so they are used as they are.
"""

import datetime
import random
import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from project_catalog.demo_content import PROJECTS
from project_catalog.funding.demo_content import (
    APPLICATIONS,
    CHECKED_ON,
    COMMUNE_SOURCES,
    SAINT_AUBIN,
)
from tests.browser.helpers import admin_login, assert_accessible, assert_admin_accessible
from tests.demo_helpers import demo_aides_territoires_sources, demo_network_sources

# The network's sources: the starter content's national programmes and the demo's regional
# ones (data files), with the dates the demo gives them, and the aids of Aides-territoires.
NETWORK_SOURCES = demo_network_sources() + demo_aides_territoires_sources()

pytestmark = pytest.mark.browser

COMMUNE_PATH = "/saint-aubin-les-vignes/"
GUIDE_PATH = f"{COMMUNE_PATH}financements/"
OTHER_GUIDE_PATH = "/la-chapelle-sur-grosne/financements/"
STAFF = "secretariat-saint-aubin-les-vignes"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# The category as project_catalog's migration 0002 names it (data, not a translation).
GARDENS = ("jardins-partages", "Jardins partagés")
GRANT = "grant"
WHEN_OPEN = "ouvert"
# The states a source that takes applications today may show (source_state.html).
OPEN_STATES = {"open", "closing_soon", "permanent"}

# Saint-Aubin-les-Vignes and La Chapelle-sur-Grosne: Saône-et-Loire, Bourgogne-Franche-Comté.
DEPARTMENT, REGION = "71", "27"


def _no_audit(page, context=""):
    """axe-core cannot run in a page without JavaScript."""


# What the demo holds --------------------------------------------------------------------


def _fits_area(data, own):
    """Whether a demo source covers the demo communes (a commune's source with a named
    territory and no commune chosen covers that commune only)."""
    scope = data["scope"]
    return (
        scope == "national"
        or (scope == "region" and data["region"] == REGION)
        or (scope == "department" and data["department"] == DEPARTMENT)
        or (scope == "territory" and (own or data.get("all_communes")))
    )


def guide_sources(saint_aubin):
    """The demo sources of Saint-Aubin's guide (``saint_aubin``) or of another demo
    commune's guide: the network's, Saint-Aubin's own only where it may see them."""
    sources = [(data, False) for data in NETWORK_SOURCES]
    sources += [
        (data, saint_aubin) for data in COMMUNE_SOURCES if saint_aubin or data.get("shared")
    ]
    return [data for data, own in sources if _fits_area(data, own)]


def _always_open(timing):
    """Whether the demo places a source so that it takes applications on any day: all
    year, a call around the load day, or a yearly source without an opening day."""
    kind = timing[0]
    if kind == "permanent":
        return True
    if kind == "dated":
        return timing[1] <= 0 <= timing[2]
    return timing[1] is None


def _fits_gardens(data):
    """A source with no category fits every category, as DETR and DSIL do."""
    return not data["categories"] or GARDENS[0] in data["categories"]


def open_grants_for_gardens():
    """Names of the grants of Saint-Aubin's guide that fit shared gardens, all of them
    open on any day."""
    fitting = [
        data
        for data in guide_sources(saint_aubin=True)
        if data["kind"] == GRANT and _fits_gardens(data)
    ]
    assert all(_always_open(data["timing"]) for data in fitting), "demo data changed"
    return {data["name"] for data in fitting}


def open_sources_not_for_gardens():
    """Names of sources of Saint-Aubin's guide, open on any day, that do not fit shared
    gardens (Fabriques de territoire, the Banque des Territoires' loans…)."""
    names = {
        data["name"]
        for data in guide_sources(saint_aubin=True)
        if _always_open(data["timing"]) and not _fits_gardens(data)
    }
    assert names, "demo data changed"
    return names


def sources_for_gardens():
    """Names of every source of Saint-Aubin's guide that fits shared gardens."""
    return {data["name"] for data in guide_sources(saint_aubin=True) if _fits_gardens(data)}


def _source(slug):
    return next(data for data in NETWORK_SOURCES + COMMUNE_SOURCES if data["slug"] == slug)


def _upcoming_source():
    """A demo call that always opens later: on the guide, but not among open sources."""
    return next(
        data
        for data in guide_sources(saint_aubin=True)
        if data["timing"][0] == "dated" and data["timing"][1] > 0
    )


def _private_source():
    return next(data for data in COMMUNE_SOURCES if not data.get("shared"))


def _project_without_funding():
    """A Saint-Aubin demo project that has obtained nothing yet."""
    obtained = {
        data["project"]
        for data in APPLICATIONS
        if data["commune"] == SAINT_AUBIN and data["status"] in ("granted", "paid")
    }
    return next(
        project
        for project in PROJECTS
        if project["commune"] == SAINT_AUBIN and project["slug"] not in obtained
    )


# The pages ------------------------------------------------------------------------------


def _submit(page, form):
    button = form.locator("button[type='submit']")
    expect(button).to_have_count(1)
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def query_of(page):
    query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    return {key: values[0] for key, values in query.items()}


def shown_sources(page):
    """The source cards of the guide, every page of it: {name: card locator} (the later
    pages open in pages of their own); the results heading counts them all."""
    heading = page.locator("main #results-heading").inner_text()
    shown, current = {}, page
    while True:
        for card in current.locator("main li.source-card").all():
            shown[card.locator(".card__title").inner_text().strip()] = card
        following = current.locator("main a[rel='next']")
        if not following.count():
            break
        next_url = urljoin(current.url, following.get_attribute("href"))
        current = page.context.new_page()
        current.goto(next_url)
    assert int(re.search(r"\d+", heading).group()) == len(shown), f"{heading!r}: {sorted(shown)}"
    return shown


def state_of(card):
    """open, closing_soon, permanent, upcoming or closed: the card's deadline badge."""
    badge = card.locator(".deadline")
    expect(badge).to_have_count(1)
    expect(badge).not_to_have_text(re.compile(r"^\s*$"))
    classes = badge.get_attribute("class").split()
    states = [name.removeprefix("deadline--") for name in classes if name.startswith("deadline--")]
    assert len(states) == 1, classes
    return states[0]


def _french_date(day):
    """The date as the French pages write it ("j F Y")."""
    with translation.override("fr"):
        return date_format(day, "j F Y")


def _amount(value, unit=""):
    """A number between 1 000 and 999 999 as a French page may write it: 1 234, 1234,
    1 234 € (any thousands separator); ``unit``: what must follow it."""
    thousands, units = divmod(value, 1000)
    return re.compile(rf"\b{thousands}[\s\u00a0\u202f.,]?{units:03d}\b\s*{re.escape(unit)}")


# 1. A visitor narrows the guide to open grants for shared gardens -----------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_visitor_on_a_phone_narrows_the_guide_to_open_grants_for_shared_gardens(
    new_context, live_site, javascript
):
    audit = assert_accessible if javascript else _no_audit
    guide_url = live_site.url(GUIDE_PATH)
    expected = open_grants_for_gardens()
    upcoming = _upcoming_source()

    # 1. From the commune's page to its guide, as a resident on a phone finds it.
    page = new_context(java_script_enabled=javascript, **PHONE).new_page()
    page.goto(live_site.url(COMMUNE_PATH))
    link = page.locator(f"main nav[aria-labelledby='modules-heading'] a[href$='{GUIDE_PATH}']")
    expect(link).to_have_count(1)
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(guide_url)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    everything = shown_sources(page)
    assert expected < everything.keys(), sorted(everything)
    assert state_of(everything[upcoming["name"]]) == "upcoming"
    audit(page, "funding guide")

    # 2. Only what can be applied to now: the upcoming call leaves the list.
    form = page.locator("main").get_by_role("search")
    expect(form).to_have_attribute("method", "get")
    when = form.locator("select[name='quand']")
    expect(when).to_be_visible()
    when.select_option(value=WHEN_OPEN)
    response = _submit(page, form)
    assert response.status == 200, response.status
    assert query_of(page).get("quand") == WHEN_OPEN, page.url
    expect(when).to_have_value(WHEN_OPEN)
    open_now = shown_sources(page)
    assert expected <= open_now.keys() < everything.keys(), sorted(open_now)
    assert upcoming["name"] not in open_now
    for name, card in open_now.items():
        assert state_of(card) in OPEN_STATES, name

    # 3. …for shared gardens: the sources for other kinds of projects leave the list.
    category = form.locator("select[name='categorie']")
    category.select_option(label=GARDENS[1])
    response = _submit(page, form)
    assert response.status == 200, response.status
    assert query_of(page).get("categorie") == GARDENS[0], page.url
    expect(when).to_have_value(WHEN_OPEN)
    for_gardens = shown_sources(page)
    assert expected <= for_gardens.keys() <= sources_for_gardens(), sorted(for_gardens)
    assert not for_gardens.keys() & open_sources_not_for_gardens(), sorted(for_gardens)

    # 4. …that are grants: exactly the demo's, each card saying so.
    kind = form.locator("select[name='nature']")
    kind.select_option(value=GRANT)
    response = _submit(page, form)
    assert response.status == 200, response.status
    query = query_of(page)
    assert (query.get("categorie"), query.get("nature"), query.get("quand")) == (
        GARDENS[0],
        GRANT,
        WHEN_OPEN,
    ), page.url
    expect(category).to_have_value(GARDENS[0])
    expect(kind).to_have_value(GRANT)
    expect(when).to_have_value(WHEN_OPEN)
    kind_label = kind.locator("option:checked").inner_text().strip()
    cards = shown_sources(page)
    assert cards.keys() == expected, sorted(cards)
    for name, card in cards.items():
        expect(card.locator(".kind")).to_have_text(kind_label)
        assert state_of(card) in OPEN_STATES, name
    audit(page, "funding guide: open grants for shared gardens")

    # The deadlines' calendar keeps which sources, not when.
    feed = page.locator(f"main a[href*='{GUIDE_PATH}echeances/']")
    expect(feed).to_have_count(1)
    feed_url = urljoin(page.url, feed.get_attribute("href"))
    feed_query = parse_qs(urlsplit(feed_url).query)
    assert feed_query == {"categorie": [GARDENS[0]], "nature": [GRANT]}, feed_url
    calendar = page.request.get(feed_url)
    assert calendar.status == 200, calendar.status
    assert calendar.headers["content-type"].startswith("text/calendar"), calendar.headers
    assert calendar.text().startswith("BEGIN:VCALENDAR"), calendar.text()[:200]

    # 5. The page of a source: what it is, its official link, when it was last checked.
    source = next(
        data
        for data in NETWORK_SOURCES
        if data["name"] in expected and GARDENS[0] in data["categories"] and data["url"]
    )
    cards[source["name"]].get_by_role("link", name=source["name"], exact=True).click()
    expect(page).to_have_url(f"{guide_url}{source['slug']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(source["name"])
    expect(page.locator("main .kind")).to_have_text(kind_label)
    expect(page.locator("main")).to_contain_text(GARDENS[1])
    official = page.locator(f"main a[href='{source['url']}']")
    expect(official).to_have_count(1)
    expect(official).to_be_visible()
    checked = page.locator("main p").filter(has_text=source["checked_by"])
    expect(checked).to_have_count(1)
    checked_on = min(CHECKED_ON, datetime.date.today())
    expect(checked).to_contain_text(_french_date(checked_on))
    expect(page.locator(f"main a[href='{GUIDE_PATH}']")).to_be_visible()
    audit(page, "page of a funding source")


def test_an_invalid_filter_is_reported_and_a_communes_private_source_stays_its_own(page, live_site):
    """Another commune's guide, with two values that make no sense and a valid one."""
    response = page.goto(
        live_site.url(OTHER_GUIDE_PATH + "?categorie=nope&quand=jamais&nature=grant")
    )
    assert response.status == 200, response.status
    form = page.locator("main").get_by_role("search")
    for name in ("categorie", "quand"):
        field = form.locator(f"select[name='{name}']")
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = field.get_attribute("aria-describedby")
        assert described_by, f"{name}: aria-invalid but no aria-describedby"
        error = page.locator(f"[id='{described_by}']")
        expect(error).to_be_visible()
        expect(error).not_to_have_text(re.compile(r"^\s*$"))
    expect(form.locator("[aria-invalid='true']")).to_have_count(2)
    expect(form.locator("select[name='nature']")).to_have_value(GRANT)

    # The valid filter applies; Saint-Aubin's private source is not in this guide.
    private = _private_source()
    grants = {data["name"] for data in guide_sources(saint_aubin=False) if data["kind"] == GRANT}
    assert private["name"] not in grants
    assert shown_sources(page).keys() == grants
    assert_accessible(page, "another commune's guide with invalid filters")

    assert page.request.get(live_site.url(OTHER_GUIDE_PATH + private["slug"] + "/")).status == 404
    assert page.request.get(live_site.url(GUIDE_PATH + private["slug"] + "/")).status == 200


# 2. The town hall records a granted application; the project page shows it --------------


def test_staff_record_a_granted_application_and_the_project_page_shows_it(
    new_context, live_site, tmp_path
):
    project = _project_without_funding()
    project_url = live_site.url(f"{COMMUNE_PATH}projets/{project['slug']}/")
    source = _source("fdva-fonctionnement-innovation")
    assert project["category"] in source["categories"], "demo data changed"
    granted = random.randint(1001, 1999)
    document = tmp_path / "notification-fdva.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    # Before: the project has obtained nothing; the sources it could ask are listed, by
    # name in a folded list for a visitor (the cards are the staff's).
    visitor = new_context().new_page()
    response = visitor.goto(project_url)
    assert response.status == 200, response.status
    expect(visitor.get_by_role("heading", level=1)).to_have_text(project["title"])
    obtained = visitor.locator("main section[aria-labelledby='funding-obtained-heading']")
    possible = visitor.locator("main section[aria-labelledby='funding-possible-heading']")
    expect(obtained).to_have_count(0)
    expect(possible.locator("li.source-card")).to_have_count(0)
    folded = possible.locator("details")
    expect(folded.locator("a").first).to_be_hidden()
    folded.locator("summary").click()
    expect(folded.locator("a").first).to_be_visible()

    # 1. The admin menu «Funding» → applications: the commune's own, no other commune's.
    staff = new_context().new_page()
    admin_login(staff, live_site, STAFF)
    index_url = live_site.url("/admin/funding_applications/")
    staff.locator(
        "li.sidebar-sub-menu-item:has(a[href='/admin/funding_applications/']) > button"
    ).click()
    staff.locator("a.sidebar-menu-item__link[href='/admin/funding_applications/']").click()
    expect(staff).to_have_url(index_url)
    rows = staff.locator("main table tbody tr")
    own = {data["title"] for data in PROJECTS if data["commune"] == SAINT_AUBIN}
    expected_rows = [data for data in APPLICATIONS if data["commune"] == SAINT_AUBIN]
    expect(rows).to_have_count(len(expected_rows))
    for row in rows.all():
        assert any(title in row.inner_text() for title in own), row.inner_text()

    # 2. The project's editor → “Record a funding application”: the project is chosen.
    staff.goto(live_site.url("/admin/pages/search/?q=" + project["title"].split(" ")[0]))
    staff.locator("main table").get_by_role("link", name=project["title"], exact=True).click()
    expect(staff).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    project_id = re.search(r"/admin/pages/(\d+)/edit/$", staff.url)[1]
    staff.locator("#w-slim-header-buttons [data-w-dropdown-target='toggle']").click()
    record = staff.locator(f"a[href='/admin/funding_applications/new/?project={project_id}']")
    expect(record).to_be_visible()
    record.click()
    expect(staff).to_have_url(index_url + f"new/?project={project_id}")
    form = staff.locator("main form[method='post']").filter(
        has=staff.locator("select[name='source']")
    )
    expect(form.locator("select[name='project']")).to_have_value(project_id)
    expect(form.locator("select[name='commune']")).not_to_have_value("")

    # 3. Granted, with its amounts, dates (submitted ≤ decided ≤ today) and a document.
    today = datetime.date.today()
    form.locator("select[name='source']").select_option(label=source["name"])
    form.locator("select[name='status']").select_option(value="granted")
    form.locator("input[name='amount_requested']").fill(str(granted + 300))
    form.locator("input[name='amount_granted']").fill(str(granted))
    form.locator("input[name='submitted_on']").fill(str(today - datetime.timedelta(days=60)))
    form.locator("input[name='decided_on']").fill(str(today - datetime.timedelta(days=10)))
    # The date pickers close on a click outside them (a number field's label, which moves
    # the focus there); under load one may open after it, so the click is made again until
    # no picker covers the form.
    open_pickers = staff.locator(".xdsoft_datetimepicker:visible")
    for _attempt in range(3):
        staff.keyboard.press("Escape")
        form.locator("label[for='id_amount_requested']").click()
        try:
            expect(open_pickers).to_have_count(0, timeout=3000)
            break
        except AssertionError:
            continue
    expect(open_pickers).to_have_count(0)
    # The inline panel's button works once Wagtail's scripts have run: under load, a
    # click may come first, so it is clicked again until the document's form shows.
    title = form.locator("input[name='documents-0-title']")
    for _attempt in range(3):
        form.locator("#id_documents-ADD").click()
        try:
            title.wait_for(state="visible", timeout=5000)
            break
        except PlaywrightTimeoutError:
            continue
    title.fill("Notification de l'aide")
    form.locator("input[name='documents-0-file']").set_input_files(document)
    assert_admin_accessible(staff, "the form of a funding application", "main form")
    response = _submit(staff, form)
    assert response.status == 200, response.status
    expect(staff).to_have_url(index_url)
    expect(staff.locator(".messages .success")).to_have_count(1)
    row = rows.filter(has_text=source["name"]).filter(has_text=project["title"])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(_amount(granted))

    # The document is kept for the staff only.
    row.locator("a[href*='/admin/funding_applications/edit/']").first.click()
    download = staff.locator("main a[href*='/admin/funding_applications/document/']")
    expect(download).to_have_count(1)
    download_url = urljoin(staff.url, download.get_attribute("href"))
    file = staff.request.get(download_url)
    assert file.status == 200, file.status
    assert file.body() == document.read_bytes()
    anonymous = visitor.request.get(download_url, max_redirects=0)
    assert anonymous.status in (302, 403, 404), anonymous.status
    assert not anonymous.body().startswith(b"%PDF")

    # The commune's staff see the possible sources' cards on the project page.
    staff.goto(project_url)
    expect(
        staff.locator("main section[aria-labelledby='funding-possible-heading'] li.source-card")
    ).not_to_have_count(0)

    # 4. The public project page: the funding obtained, with its source and amount.
    visitor.goto(project_url)
    expect(obtained).to_be_visible()
    line = obtained.locator("tbody tr").filter(has_text=source["name"])
    expect(line).to_have_count(1)
    expect(line).to_contain_text(_amount(granted, "€"))
    expect(possible).to_be_visible()
    assert_accessible(visitor, "project page with its funding")
