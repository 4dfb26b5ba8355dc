"""The project catalogue: a visitor filters the network's projects, a commune secretary
adopts a template of the library and publishes the project, and axe-core checks every
page type of the catalogue.

The expected results come from the demo content (project_catalog.demo_content and the
starter content's templates file), not from hard-coded counts. The server is shared by the
whole session and the adoption test adds a project to it, so the listings are checked this
way: a demo project is shown if and only if it matches the filters, and any other card (a
project added by a test) must show the chosen category, stage or commune.
"""

import re
import unicodedata
import uuid
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from home.demo_content import COMMUNES
from project_catalog.demo_content import PROJECTS
from tests.browser.helpers import EDIT_URL, admin_login, assert_accessible, publish_in_editor
from tests.demo_helpers import demo_templates

# The library's templates: the starter content's data file.
TEMPLATES = demo_templates()

pytestmark = pytest.mark.browser

CATALOGUE_PATH = "/projets-du-reseau/"
LIBRARY_PATH = "/bibliotheque-de-projets/"
SECRETARY = "secretariat-saint-aubin-les-vignes"
SECRETARY_COMMUNE = "Saint-Aubin-les-Vignes"
COMMUNE_NAMES = {commune["insee"]: commune["name"] for commune in COMMUNES}
# The fields of a project that the catalogue's word search looks into.
SEARCHED_FIELDS = ("title", "summary", "need", "place", "body", "results")
ADOPT_URL = re.compile(r"/admin/projets/adopter/\d+/$")


def _fold(text):
    """Lower case, without accents nor HTML tags: how the search engine compares words."""
    text = re.sub(r"<[^>]+>", " ", text or "").casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def demo_titles(**criteria):
    """Titles of the demo projects whose fields equal ``criteria`` (commune by name) and,
    with ``word=…``, whose searched fields contain that word."""
    word = criteria.pop("word", None)
    titles = set()
    for project in PROJECTS:
        values = {**project, "commune": COMMUNE_NAMES[project["commune"]]}
        if any(values[key] != value for key, value in criteria.items()):
            continue
        if word is not None:
            text = _fold(" ".join(str(project[field]) for field in SEARCHED_FIELDS))
            if not re.search(rf"\b{re.escape(_fold(word))}\b", text):
                continue
        titles.add(project["title"])
    return titles


ALL_DEMO_TITLES = demo_titles()


def shown_cards(page):
    """The project cards of the listing: {title: text of the card}."""
    cards = page.locator("main li.card")
    return {
        card.locator(".card__title").inner_text().strip(): card.inner_text() for card in cards.all()
    }


def results_count(page):
    """The number announced by the results heading ("3 projets")."""
    heading = page.locator("main #results-heading")
    return int(re.search(r"\d+", heading.inner_text()).group())


def assert_listing(page, expected_demo_titles, *texts_on_every_card):
    """Demo projects: exactly the expected ones. Other cards: they show ``texts``."""
    cards = shown_cards(page)
    shown_demo = {title for title in cards if title in ALL_DEMO_TITLES}
    assert shown_demo == expected_demo_titles, f"{page.url}: {sorted(cards)}"
    for title, text in cards.items():
        for expected in texts_on_every_card:
            assert expected in text, f"{page.url}: card {title!r} lacks {expected!r}: {text!r}"
    assert results_count(page) == len(cards), f"{page.url}: heading versus {len(cards)} cards"
    return cards


def submit_filters(page, form):
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()


def query_of(page):
    """The GET parameters of the page's address, empty ones included."""
    query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    return {key: values[0] for key, values in query.items()}


# 1. A visitor filters the network catalogue ------------------------------------------


def test_visitor_filters_the_network_catalogue_without_javascript(new_context, live_site):
    # The filters are a plain GET form: they must work with JavaScript off.
    page = new_context(java_script_enabled=False).new_page()
    page.goto(live_site.url(CATALOGUE_PATH))
    everything = assert_listing(page, ALL_DEMO_TITLES)
    form = page.locator("main").get_by_role("search")
    category = form.locator('select[name="category"]')
    status = form.locator('select[name="status"]')
    commune = form.locator('select[name="commune"]')
    words = form.locator('input[name="q"]')

    # A category that has demo projects at different stages, and one of those stages.
    categories = [project["category"] for project in PROJECTS]
    chosen_category = max(categories, key=categories.count)
    in_category = [project for project in PROJECTS if project["category"] == chosen_category]
    assert len({project["status"] for project in in_category}) > 1, "demo data changed"
    chosen_status = in_category[-1]["status"]

    category.select_option(chosen_category)
    submit_filters(page, form)
    assert query_of(page).get("category") == chosen_category
    expect(category).to_have_value(chosen_category)
    category_name = category.locator("option:checked").inner_text().strip()
    assert_listing(page, demo_titles(category=chosen_category), category_name)

    status.select_option(chosen_status)
    submit_filters(page, form)
    query = query_of(page)
    assert (query.get("category"), query.get("status")) == (chosen_category, chosen_status)
    expect(category).to_have_value(chosen_category)
    expect(status).to_have_value(chosen_status)
    status_label = status.locator("option:checked").inner_text().strip()
    expected = demo_titles(category=chosen_category, status=chosen_status)
    assert 0 < len(expected) < len(demo_titles(category=chosen_category))
    assert_listing(page, expected, category_name, status_label)

    # “Clear the filters” brings every project back, with empty fields.
    form.locator(f'a[href="{CATALOGUE_PATH}"]').click()
    expect(page).to_have_url(live_site.url(CATALOGUE_PATH))
    expect(category).to_have_value("")
    expect(status).to_have_value("")
    assert shown_cards(page).keys() == everything.keys()
    expect(form.locator(f'a[href="{CATALOGUE_PATH}"]')).to_have_count(0)

    # Words: accents do not matter, and every searched field counts, not only the title.
    word = "préau"
    expected = demo_titles(word=word)
    assert 1 < len(expected) < len(ALL_DEMO_TITLES), "pick another word"
    words.fill(word)
    submit_filters(page, form)
    assert query_of(page).get("q") == word
    expect(words).to_have_value(word)
    assert_listing(page, expected)

    # Then narrow the same search down to one commune: the words are kept.
    word = "hameaux"
    communes_with_word = {
        COMMUNE_NAMES[project["commune"]]
        for project in PROJECTS
        if project["title"] in demo_titles(word=word)
    }
    assert len(communes_with_word) > 1, "pick another word"
    chosen_commune = sorted(communes_with_word)[0]
    words.fill(word)
    submit_filters(page, form)
    assert_listing(page, demo_titles(word=word))
    commune.select_option(label=chosen_commune)
    commune_slug = commune.input_value()
    submit_filters(page, form)
    assert query_of(page) == {"q": word, "commune": commune_slug, "category": "", "status": ""}
    expect(words).to_have_value(word)
    assert_listing(page, demo_titles(word=word, commune=chosen_commune), chosen_commune)


def test_an_invalid_filter_is_reported_on_its_field_and_ignored(page, live_site):
    page.goto(live_site.url(CATALOGUE_PATH + "?category=nope&status=action"))
    category = page.locator("main").get_by_role("search").locator('select[name="category"]')
    expect(category).to_have_attribute("aria-invalid", "true")
    # The error message is what the field's description points to.
    described_by = category.get_attribute("aria-describedby")
    assert described_by, "the invalid field has no aria-describedby"
    errors = page.locator(", ".join(f"[id='{ref}']" for ref in described_by.split()))
    expect(errors).to_have_count(len(described_by.split()))
    expect(errors.first).to_be_visible()
    expect(errors.first).not_to_have_text("")
    # The valid filter still applies.
    assert_listing(page, demo_titles(status="action"))


# 2. A commune secretary adopts a template and publishes the project ---------------------


def _template_to_adopt():
    """A template that no demo project comes from: its adoption table starts empty."""
    adopted = {project["template"] for project in PROJECTS}
    return next(template for template in TEMPLATES if template["slug"] not in adopted)


def test_secretary_adopts_a_template_and_publishes_the_project(page, new_context, live_site):
    template = _template_to_adopt()
    admin_login(page, live_site, SECRETARY)

    # From the public library to the template's page, to the adopt screen.
    page.goto(live_site.url(LIBRARY_PATH))
    page.locator("main li.card").get_by_role("link", name=template["title"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(template["title"])
    template_url = page.url
    page.locator("main a[href*='/admin/projets/adopter/']").click()
    expect(page).to_have_url(ADOPT_URL)

    form = page.locator("main form").filter(has=page.locator('select[name="commune"]'))
    commune = form.locator('select[name="commune"]')
    if not commune.input_value():
        commune.select_option(label=SECRETARY_COMMUNE)
    expect(commune.locator("option:checked")).to_have_text(SECRETARY_COMMUNE)
    form.locator('button[type="submit"]').click()

    # The draft opens in the page editor, pre-filled from the template.
    expect(page).to_have_url(EDIT_URL)
    expect(page.locator("#id_title")).to_have_value(template["title"])
    expect(page.locator(".messages")).to_contain_text(SECRETARY_COMMUNE)

    # Nothing is public yet.
    visitor = new_context().new_page()
    commune_projects_url = live_site.url("/saint-aubin-les-vignes/projets/")
    visitor.goto(commune_projects_url)
    expect(visitor.locator("main li.card").first).to_be_visible()
    expect(visitor.get_by_role("link", name=template["title"], exact=True)).to_have_count(0)

    title = f"{template['title']} — essai {uuid.uuid4().hex[:8]}"
    page.locator("#id_title").fill(title)
    publish_in_editor(page)
    expect(page.get_by_text(re.compile(r"(publiée|published)")).first).to_be_visible()

    # The project is on the commune's projects page, in its first stage…
    visitor.goto(commune_projects_url)
    card = visitor.locator("main li.card").filter(
        has=visitor.get_by_role("link", name=title, exact=True)
    )
    expect(card).to_have_count(1)
    project_href = card.get_by_role("link", name=title, exact=True).get_attribute("href")
    project_url = urljoin(visitor.url, project_href)
    assert project_url.startswith(commune_projects_url), project_url
    card.get_by_role("link", name=title, exact=True).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    expect(visitor.locator("main [aria-current='step']")).to_have_count(1)
    # …and says which template it comes from, with a link back to it.
    back = visitor.locator(f"main aside a[href='{urlsplit(template_url).path}']")
    expect(back).to_have_text(template["title"])

    # The template lists the commune among those that adopted it.
    visitor.goto(template_url)
    adoptions = visitor.locator("main section").filter(has=visitor.locator("h2#adoptions-heading"))
    row = adoptions.locator("table tbody tr").filter(
        has=visitor.get_by_role("link", name=title, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text(SECRETARY_COMMUNE)
    expect(row.get_by_role("link", name=title, exact=True)).to_have_attribute(
        "href", urlsplit(project_url).path
    )


# 3. axe-core on every page type of the catalogue ----------------------------------------

PAGE_TYPES = [
    "network catalogue",
    "network catalogue with a field error",
    "network catalogue filtered",
    "commune projects page",
    "project page",
    "template library",
    "template page",
    "earlier version of a template",
]


@pytest.fixture(scope="session")
def catalogue_urls(browser, live_site):
    """Find one URL of each page type by following links, as a visitor would."""
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    try:
        # A completed project: its page has every section (results, updates, carriers).
        page.goto(live_site.url(CATALOGUE_PATH + "?status=completed"))
        project_href = page.locator("main li.card .card__title a").first.get_attribute("href")
        project_url = urljoin(page.url, project_href)

        # The template with an earlier version: the one whose page links to versions/N/.
        page.goto(live_site.url(LIBRARY_PATH))
        template_urls = [
            urljoin(page.url, link.get_attribute("href"))
            for link in page.locator("main li.card .card__title a").all()
        ]
        assert len(template_urls) == len(TEMPLATES)
        versioned = None
        for url in template_urls:
            page.goto(url)
            earlier = page.locator("main a[href*='/versions/']")
            if earlier.count():
                versioned = (url, urljoin(page.url, earlier.first.get_attribute("href")))
                break
        assert versioned, "no template of the library has an earlier version"
    finally:
        context.close()
    return {
        "network catalogue": live_site.url(CATALOGUE_PATH),
        "network catalogue with a field error": live_site.url(CATALOGUE_PATH + "?category=nope"),
        "network catalogue filtered": live_site.url(CATALOGUE_PATH + "?q=pr%C3%A9au"),
        "commune projects page": urljoin(project_url, ".."),
        "project page": project_url,
        "template library": live_site.url(LIBRARY_PATH),
        "template page": versioned[0],
        "earlier version of a template": versioned[1],
    }


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_catalogue_page_has_no_serious_accessibility_violation(page, catalogue_urls, page_type):
    url = catalogue_urls[page_type]
    response = page.goto(url)
    assert response.status == 200, f"{page_type} at {url}: {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    if page_type == "network catalogue with a field error":
        expect(page.locator("main select[aria-invalid='true']")).to_have_count(1)
    if page_type == "earlier version of a template":
        expect(page.locator("main [role='note']")).to_be_visible()
    assert_accessible(page, f"{page_type} ({url})")
