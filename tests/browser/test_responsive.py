"""Every public page type fits a phone: at 320 and 390 CSS pixels wide, nothing scrolls
sideways, every scrolling box can be reached by keyboard, and axe-core (WCAG 2.2 target
sizes included) finds no violation.

The pages are found as a visitor or a crawler would: the sitemap, each page's type read
from its ``<body>`` class, then the links a page type holds (a micro-parliament's draws, a
board's posts, a guide's sources, a footer's legal pages). The personal pages of the
volunteer list are reached through the site's own sign-up flow, with a very long e-mail
address, and the personal links of the e-mail Django's file backend writes for the server.

One browser context per width; axe-core runs once per page and width.
"""

import re
import uuid
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tests.browser.conftest import PolicyWatch
from tests.browser.helpers import assert_accessible, newest_email

pytestmark = pytest.mark.browser

WIDTHS = [320, 390]
HEIGHT = 844

# The page types and the <body> class of each, for those found in the sitemap.
BODY_CLASSES = {
    "network home": "page-network-home",
    "commune home": "page-commune",
    "standard page": "page-standard",
    "news index": "page-news-index",
    "news page": "page-news",
    "volunteer sign-up page": "page-volunteer-signup",
    "micro-parliament page": "page-micro-parliament",
    "exchange board": "page-exchange",
    "project catalogue": "page-projects",
    "project page": "page-project",
    "template library": "page-library",
    "template page": "page-template",
    "funding guide": "page-funding",
}
PAGE_TYPES = [
    "network home",
    "network communes page",
    "commune home",
    "standard page",
    "news index",
    "news page",
    "search results",
    "legal notice",
    "accessibility statement",
    "privacy policy",
    "open data page",
    "volunteer sign-up page",
    "sign-up e-mail sent page",
    "sign-up confirmation page",
    "sign-up confirmed page",
    "personal data page",
    "withdrawal page",
    "micro-parliament page",
    "draw page",
    "exchange board",
    "exchange post",
    "project catalogue",
    "project page",
    "template library",
    "template page",
    "funding guide",
    "funding source page",
    "404 page",
]
NOT_FOUND = {"404 page"}
# The agenda (examples/mprc-agenda, a package of its own), when the site runs it: its page,
# its archive and an event.
if apps.is_installed("mprc_agenda"):
    BODY_CLASSES.update({"agenda": "page-agenda", "agenda event": "page-agenda-event"})
    PAGE_TYPES[-1:-1] = ["agenda", "agenda archive", "agenda event"]

# A resident whose e-mail address (some 90 characters) is far wider than a phone's screen.
LONG_EMAIL = (
    "marie-christine.delafontaine-montferrand.{suffix}@mairie-saint-aubin-les-vignes.example.org"
)

# Everything that sticks out of the viewport's right edge and is not inside a box that
# clips or scrolls it: the outermost elements, and text running out of its element.
_OVERFLOWING = """
(width) => {
  const clipped = (node) => {
    for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
      if (getComputedStyle(el).overflowX !== "visible") return true;
    }
    return false;
  };
  const describe = (el, right, what) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    for (const cls of el.classList) name += "." + cls;
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `${name} ${what} ends at ${Math.round(right)}px: ${JSON.stringify(text)}`;
  };
  const found = [];
  const wide = (el) => el.getBoundingClientRect().right > width + 0.5;
  for (const el of document.body.querySelectorAll("*")) {
    if (!wide(el) || clipped(el)) continue;
    if (el.parentElement !== document.body && wide(el.parentElement)) continue;
    found.push(describe(el, el.getBoundingClientRect().right, "box"));
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || clipped(node)) continue;
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right;
    if (right > width + 0.5 && !wide(node.parentElement)) {
      found.push(describe(node.parentElement, right, "text"));
    }
  }
  return found.slice(0, 10);
}
"""

# The boxes that scroll sideways (their content is wider than they are), and whether the
# keyboard can reach them: focusable themselves, or holding something focusable.
_SCROLL_REGIONS = """
() => {
  const focusable = "a[href], button, input, select, textarea, summary, "
    + "[tabindex]:not([tabindex='-1'])";
  const regions = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (!["auto", "scroll"].includes(style.overflowX) || el.scrollWidth <= el.clientWidth) continue;
    let name = el.tagName.toLowerCase();
    for (const cls of el.classList) name += "." + cls;
    regions.push({
      name,
      reachable: (el.hasAttribute("tabindex") && el.tabIndex >= 0) || !!el.querySelector(focusable),
    });
  }
  return regions;
}
"""

# Every table of the content sits in a scroll region of its own: a named region the
# keyboard can focus, that shows its focus.
_TABLES = """
() => Array.from(document.querySelectorAll("main table")).map((table) => {
  const wrapper = table.parentElement;
  const style = getComputedStyle(wrapper);
  const labels = (wrapper.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
  const name = labels.map((id) => document.getElementById(id)?.textContent.trim() || "").join(" ");
  wrapper.focus();
  const focused = getComputedStyle(wrapper);
  const result = {
    caption: (table.caption?.textContent || table.textContent).trim().slice(0, 40),
    scrolls: ["auto", "scroll"].includes(style.overflowX),
    region: wrapper.getAttribute("role") === "region" && name !== "",
    focusable: wrapper.getAttribute("tabindex") === "0",
    focusShown: document.activeElement === wrapper && focused.outlineStyle !== "none"
      && parseFloat(focused.outlineWidth) >= 2,
  };
  wrapper.blur();
  return result;
})
"""


def _path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _body_class(request, url):
    response = request.get(url)
    assert response.ok, f"{url}: {response.status}"
    match = re.search(r'<body class="([^"]*)"', response.text())
    return set(match.group(1).split()) if match else set()


def _first_link(page, url, selector):
    """Open ``url``; the address of the first link ``selector`` finds there, or None."""
    page.goto(url)
    links = page.locator(selector)
    if not links.count():
        return None
    return urljoin(page.url, links.first.get_attribute("href"))


def _sitemap_pages(page, live_site):
    """The page of each type the sitemap lists first (its type read from its <body>
    class), and the first draw a micro-parliament page links to."""
    response = page.request.get(live_site.url("/sitemap.xml"))
    assert response.ok, response.status
    wanted = BODY_CLASSES.keys() | {"draw page"}
    found = {}
    for location in re.findall(r"<loc>([^<]+)</loc>", response.text()):
        url = live_site.url(_path(location))
        classes = _body_class(page.request, url)
        for kind, body_class in BODY_CLASSES.items():
            if body_class in classes:
                found.setdefault(kind, url)
        if BODY_CLASSES["micro-parliament page"] in classes and "draw page" not in found:
            draw = _first_link(page, url, "main section[aria-labelledby='draws-heading'] a")
            if draw:
                found["draw page"] = draw
        if wanted <= found.keys():
            return found
    pytest.fail(f"not found from the sitemap: {sorted(wanted - found.keys())}", pytrace=False)


def _sign_up(page, signup_url, email):
    """Join the volunteer list through its form; return the address of the page that
    says the e-mail is sent."""
    page.goto(signup_url)
    form = page.locator("main form").filter(has=page.locator("input[name='first_name']"))
    form.locator("input[name='first_name']").fill("Marie-Christine")
    form.locator("input[name='last_name']").fill(f"Delafontaine-{uuid.uuid4().hex[:8]}")
    form.locator("input[name='email']").fill(email)
    form.locator("input[name='birth_year']").fill("1971")
    form.locator("input[name='gender'][value='female']").check()
    if form.locator("select[name='hamlet']").count():
        form.locator("select[name='hamlet']").select_option(index=1)
    form.locator("select[name='social_category']").select_option("5")
    form.locator("input[name='address']").fill("Lieu-dit des Grandes-Vignes-sous-le-Mont-Brouilly")
    form.locator("input[name='lives_here']").check()
    form.locator("input[name='consent']").check()
    with page.expect_navigation():
        form.locator("button[type='submit']").click()
    sent_url = page.url
    assert "/merci/" in sent_url, f"the sign-up was refused: {sent_url}"
    return sent_url


def _personal_links(live_site, signup_url, email):
    """The confirmation link and the personal link of the e-mail sent to ``email``."""
    body = newest_email(live_site.mail_dir, email).get_content()
    confirm_url, data_url = re.findall(
        re.escape(signup_url) + r"(?:confirmer|mes-donnees)/[^/\s]+/", body
    )[:2]
    assert "/confirmer/" in confirm_url, body
    assert "/mes-donnees/" in data_url, body
    return confirm_url, data_url


def _long_email():
    email = LONG_EMAIL.format(suffix=uuid.uuid4().hex[:6])
    assert len(email) > 60
    return email


@pytest.fixture(scope="session")
def responsive_urls(browser, live_site):
    """Find one address of each page type (or how to reach it), as a visitor would."""
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        urls = _sitemap_pages(page, live_site)

        # The network's list of communes, where the site has one.
        communes_url = live_site.url("/communes/")
        status = page.request.get(communes_url).status
        assert status in (200, 404), f"{communes_url}: {status}"
        urls["network communes page"] = communes_url if status == 200 else None

        # The commune's footer links to its legal pages, in this order.
        page.goto(urls["commune home"])
        legal_links = page.locator("footer nav.legal-links a")
        expect(legal_links).to_have_count(3)
        for index, kind in enumerate(("legal notice", "accessibility statement", "privacy policy")):
            urls[kind] = urljoin(page.url, legal_links.nth(index).get_attribute("href"))
        # …and to its open data files.
        open_data = page.locator("footer .open-data-link a")
        expect(open_data).to_have_count(1)
        urls["open data page"] = urljoin(page.url, open_data.get_attribute("href"))

        urls["exchange post"] = _first_link(page, urls["exchange board"], "main .card__title a")
        urls["funding source page"] = _first_link(
            page, urls["funding guide"], "main .source-card .card__title a"
        )
        for kind in ("exchange post", "funding source page"):
            assert urls.get(kind), f"no {kind} found"

        if "agenda" in urls:
            urls["agenda archive"] = urljoin(urls["agenda"], "archives/")
        urls["search results"] = live_site.url("/recherche/?q=covoiturage")
        urls["404 page"] = live_site.url("/cette-page-n-existe-pas/")

        # The volunteer list's pages, for a resident with a very long e-mail address.
        signup_url = urls["volunteer sign-up page"]
        email = _long_email()
        urls["sign-up e-mail sent page"] = _sign_up(page, signup_url, email)
        confirm_url, data_url = _personal_links(live_site, signup_url, email)
        urls["sign-up confirmation page"] = confirm_url
        urls["personal data page"] = data_url
        urls["withdrawal page"] = data_url + "retrait/"
        # The confirmed page is the answer to the confirmation's form: see _open().
        urls["sign-up confirmed page"] = signup_url
    finally:
        context.close()
    return urls


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda width: f"{width}px")
def phone(browser, live_site, request):
    """One browser context per width, its pages watched for policy violations."""
    watch = PolicyWatch()
    context = browser.new_context(
        locale="fr-FR",
        base_url=live_site.base_url,
        viewport={"width": request.param, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15_000)
    watch.watch(context)
    page = context.new_page()
    yield request.param, page, watch
    context.close()


def _open(page, live_site, page_type, url):
    """Go to the page; return its HTTP status."""
    if page_type == "sign-up confirmed page":
        # A sign-up of its own, confirmed with the form of its e-mail's link.
        email = _long_email()
        _sign_up(page, url, email)
        confirm_url, _data_url = _personal_links(live_site, url, email)
        page.goto(confirm_url)
        with page.expect_navigation() as navigation:
            page.locator("main form[method='post'] button[type='submit']").click()
        expect(page.locator("main a[href*='/mes-donnees/']")).to_have_count(1)
        return navigation.value.status
    return page.goto(url).status


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_fits_a_phone(phone, live_site, responsive_urls, page_type):
    width, page, watch = phone
    url = responsive_urls[page_type]
    if url is None:
        pytest.skip(f"{page_type}: not on this site yet")
    where = f"{page_type} at {width}px ({url})"
    status = _open(page, live_site, page_type, url)
    assert status == (404 if page_type in NOT_FOUND else 200), f"{where}: {status}"

    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    overflowing = page.evaluate(_OVERFLOWING, width)
    # On a phone, a page wider than the screen is zoomed out: the window grows with it.
    assert sizes["scroll"] <= min(sizes["inner"], width), (
        f"{where} scrolls sideways ({sizes['scroll']}px wide for {width}px):\n"
        + "\n".join(overflowing)
    )
    assert not overflowing, f"{where}: sticks out of the screen:\n" + "\n".join(overflowing)

    unreachable = [r["name"] for r in page.evaluate(_SCROLL_REGIONS) if not r["reachable"]]
    assert not unreachable, (
        f"{where}: boxes that scroll but the keyboard cannot reach: {unreachable}"
    )

    for table in page.evaluate(_TABLES):
        assert all(table[key] for key in ("scrolls", "region", "focusable", "focusShown")), (
            f"{where}: the table {table['caption']!r} is not in a named scroll region that "
            f"takes and shows the focus: {table}"
        )

    if page_type == "personal data page":
        expect(page.locator("main .data-list")).to_contain_text("@mairie-saint-aubin")

    assert_accessible(page, where, impacts=None)
    reports = watch.take()
    assert not reports, "policy violations reported:\n" + "\n".join(reports[:20])
