"""A visitor on the public site: the network home, a commune, its pages, the keyboard,
the language switch and the mobile layout."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DEMO_COMMUNES = [
    "Saint-Aubin-les-Vignes",
    "La Chapelle-sur-Grosne",
    "Montferrand-le-Bois",
    "Vaux-en-Bresse",
    "Les Essarts-du-Mont",
]


def test_visitor_goes_from_network_home_to_a_commune_faq_answer(page, live_site):
    page.goto(live_site.url("/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    main = page.locator("main")
    # Each commune has its card (the modules table below links to the communes too).
    for name in DEMO_COMMUNES:
        expect(main.locator(".card").get_by_role("link", name=name, exact=True)).to_be_visible()

    latest_news = main.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile(r"nouvelles|actualités|news", re.I))
    )
    expect(latest_news).to_have_count(1)
    expect(latest_news.locator("article")).not_to_have_count(0)

    main.locator(".card").get_by_role("link", name="Saint-Aubin-les-Vignes", exact=True).click()
    expect(page).to_have_url(re.compile(r"/saint-aubin-les-vignes/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Saint-Aubin-les-Vignes")

    commune_menu = page.get_by_role("navigation", name=re.compile("Saint-Aubin-les-Vignes"))
    commune_menu.get_by_role("link", name="Le micro-parlement", exact=True).click()
    expect(page).to_have_url(re.compile(r"/saint-aubin-les-vignes/micro-parlement/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Le micro-parlement")
    expect(
        page.get_by_role("navigation", name=re.compile("Saint-Aubin-les-Vignes")).get_by_role(
            "link", name="Le micro-parlement", exact=True
        )
    ).to_have_attribute("aria-current", "page")

    item = page.locator("main details").filter(
        has_text="Faut-il être inscrit sur les listes électorales"
    )
    answer = item.locator(".rich-text")
    expect(item).not_to_have_attribute("open", re.compile(".*"))
    expect(answer).to_be_hidden()
    item.locator("summary").click()
    expect(item).to_have_attribute("open", "")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("Toute personne qui habite la commune")
    # The same page goes on with the micro-parliament's members and meetings.
    expect(page.locator("main #members-heading")).to_be_visible()
    expect(page.locator("main #meetings-heading")).to_be_visible()


@pytest.mark.parametrize(
    ("path", "label"),
    [("/", r"^Aller au contenu$"), ("/en/", r"^Skip to content$")],
)
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(page, live_site, path, label):
    page.goto(live_site.url(path))
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text(re.compile(label))
    expect(focused).to_have_attribute("href", "#main")
    expect(focused).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab continues from the content, not from the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_footer_language_form_switches_the_site_to_english(page, live_site):
    page.goto(live_site.url("/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    form = page.locator("footer form").filter(has=page.locator('select[name="language"]'))
    form.locator('select[name="language"]').select_option("en")
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator(".skip-link")).to_have_text("Skip to content")
    expect(page.locator("footer select[name='language']")).to_have_value("en")


@pytest.mark.parametrize("path", ["/", "/saint-aubin-les-vignes/"])
def test_phone_viewport_has_no_horizontal_scroll(new_context, live_site, path):
    page = new_context(viewport={"width": 375, "height": 667}, is_mobile=True).new_page()
    page.goto(live_site.url(path))
    page.wait_for_load_state("load")
    sizes = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["inner"], (
        f"{path} scrolls sideways on a 375px-wide phone: {sizes}"
    )
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()


# Issue 17: back to French, the content's language, print. ---------------------------------


def _choose_language(page, code):
    form = page.locator("footer form").filter(has=page.locator('select[name="language"]'))
    form.locator('select[name="language"]').select_option(code)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
@pytest.mark.parametrize(
    "path",
    [
        "/saint-aubin-les-vignes/micro-parlement/",
        # A page route (RoutablePageMixin) keeps its path too.
        "/saint-aubin-les-vignes/devenir-volontaire/lien/",
    ],
)
def test_footer_language_form_goes_back_to_french_from_english(
    new_context, live_site, javascript, path
):
    page = new_context(java_script_enabled=javascript).new_page()
    page.goto(live_site.url(path))
    _choose_language(page, "en")
    expect(page).to_have_url(live_site.url("/en" + path))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    _choose_language(page, "fr")
    expect(page).to_have_url(live_site.url(path))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".skip-link")).to_have_text("Aller au contenu")
    expect(page.locator("footer select[name='language']")).to_have_value("fr")


def _language_of(locator):
    """The language a screen reader reads an element in: its nearest lang attribute."""
    return locator.evaluate("element => element.closest('[lang]').getAttribute('lang')")


def test_under_en_the_interface_is_english_and_the_content_french(page, live_site):
    page.goto(live_site.url("/en/saint-aubin-les-vignes/micro-parlement/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    main = page.locator("main")
    expect(main).to_have_attribute("lang", "fr")
    assert _language_of(main.get_by_role("heading", level=1)) == "fr"
    assert _language_of(main.locator("details summary").first) == "fr"
    assert _language_of(page.locator(".site-nav a").first) == "fr"
    assert _language_of(page.locator(".skip-link")) == "en"
    assert _language_of(page.locator(".site-search button")) == "en"
    assert _language_of(page.locator("footer .language-switch label")) == "en"

    page.goto(live_site.url("/saint-aubin-les-vignes/micro-parlement/"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert _language_of(page.locator("main h1")) == "fr"


def test_a_page_prints_its_content_without_the_site_s_furniture(page, live_site):
    page.goto(live_site.url("/saint-aubin-les-vignes/financements/"))
    page.locator("main .card a").first.click()
    external = page.locator('main a[href^="https://"]').first
    expect(external).to_have_count(1)
    internal = page.locator('main a[href^="/"]').first
    page.emulate_media(media="print")

    for selector in (
        ".site-header",
        ".site-nav",
        ".site-search",
        ".breadcrumbs",
        ".skip-link",
        "footer .language-switch",
    ):
        expect(page.locator(selector).first, selector).to_be_hidden()
    expect(page.locator("main")).to_be_visible()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("footer")).to_be_visible()

    def style(locator, prop, pseudo="null"):
        return locator.evaluate(f"(e) => getComputedStyle(e, {pseudo}).{prop}")

    for locator in (page.locator("body"), page.locator("main"), page.locator("footer")):
        assert style(locator, "backgroundColor") == "rgba(0, 0, 0, 0)"
    assert style(page.locator("main h1"), "color") == "rgb(0, 0, 0)"
    # An external link's address follows its text; a link inside the site does not.
    after = style(external, "content", "'::after'")
    assert "attr(href)" in after or external.get_attribute("href") in after, after
    assert style(internal, "content", "'::after'") in ("none", "normal")

    page.emulate_media(media="screen")
    expect(page.locator(".site-header")).to_be_visible()
    assert style(page.locator(".site-header"), "backgroundColor") != "rgba(0, 0, 0, 0)"
