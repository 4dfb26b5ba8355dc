"""Printed material of Saint-Aubin-les-Vignes, printed by Chromium (issue 19).

Staff open the commune's «Posters, flyers and paper forms» screen and each piece listed
there: the A4 poster, the A5 flyer and the paper form of each module on for the commune
(the volunteer call, the service exchange, the call for needs when installed). Each is
printed to PDF by Chromium as the Print command would (its own @page size), without
JavaScript: its text must hold the heading, the commune and the town hall's opening hours,
the poster and flyer must fit on one sheet and the paper form on two; its first page is
rendered to an image (poppler's pdftoppm) and the QR code read from it (zxing-cpp) must
lead to the page it invites to, printed in full under it and served by the site. axe-core
checks the screen and every piece.
"""

import io
import re
import subprocess
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import admin_login, assert_accessible, assert_admin_accessible

pytestmark = pytest.mark.browser

STAFF = "secretariat-saint-aubin-les-vignes"
COMMUNE = "Saint-Aubin-les-Vignes"
COMMUNE_PATH = "/saint-aubin-les-vignes/"
HOURS = ["Lundi et jeudi : 9 h – 12 h", "Samedi : 10 h – 12 h"]
PRINT_LINK = re.compile(
    r"/admin/communes/(\d+)/imprimer/([\w-]+)/([\w-]+)/(affiche|tract|formulaire)/$"
)
# The pieces: paper size, most pages, and the element holding the address printed in full.
PIECES = {
    "affiche": ("A4", 1, ".poster__url"),
    "tract": ("A5", 1, ".poster__url"),
    "formulaire": ("A4", 2, ".paper-form__url"),
}
# Where the QR code of each module's pieces must lead (the path's end; the paper form of the
# exchange and of a call for needs leads to the online form itself).
TARGETS = {
    ("participation", "affiche"): re.compile(rf"^{COMMUNE_PATH}devenir-volontaire/$"),
    ("participation", "tract"): re.compile(rf"^{COMMUNE_PATH}devenir-volontaire/$"),
    ("participation", "formulaire"): re.compile(rf"^{COMMUNE_PATH}devenir-volontaire/$"),
    ("exchange", "affiche"): re.compile(rf"^{COMMUNE_PATH}echanges/$"),
    ("exchange", "tract"): re.compile(rf"^{COMMUNE_PATH}echanges/$"),
    ("exchange", "formulaire"): re.compile(rf"^{COMMUNE_PATH}echanges/publier/$"),
    ("needs", "affiche"): re.compile(rf"^{COMMUNE_PATH}besoins/([\w-]+/)?$"),
    ("needs", "tract"): re.compile(rf"^{COMMUNE_PATH}besoins/([\w-]+/)?$"),
    ("needs", "formulaire"): re.compile(rf"^{COMMUNE_PATH}besoins/[\w-]+/proposer/$"),
}


# The first page only, as one PNG at 150 dpi (a printer's usual resolution).
PDFTOPPM = ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile"]


def flat(text):
    """Words separated by one space; a compound name broken across two lines at one of its
    hyphens («Saint-⏎Aubin») joined again."""
    return re.sub(r"(?<=\w-) (?=\w)", "", " ".join(text.split()))


def pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), flat(" ".join(page.extract_text() or "" for page in reader.pages))


def decode_first_page(data, tmp_path, name):
    """The texts of the QR codes zxing-cpp reads on the PDF's first page, rendered at
    150 dpi by pdftoppm."""
    import zxingcpp
    from PIL import Image

    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(data)
    subprocess.run(
        [*PDFTOPPM, pdf, tmp_path / name],
        check=True,
        timeout=60,
    )
    with Image.open(tmp_path / f"{name}.png") as image:
        return [result.text for result in zxingcpp.read_barcodes(image)]


def print_links(page):
    """The print links of the screen: [(url, module key, piece)]."""
    links = []
    anchors = page.locator("main a[href*='/imprimer/']")
    for i in range(anchors.count()):
        href = anchors.nth(i).get_attribute("href")
        match = PRINT_LINK.search(href)
        if match:
            links.append((urljoin(page.url, href), match[2], match[4]))
    return links


def test_every_piece_prints_right_from_chromium(new_context, live_site, tmp_path):
    # Axe needs JavaScript: the screen and the pieces are checked in a page with it.
    audited = new_context().new_page()
    admin_login(audited, live_site, STAFF)
    audited.goto(live_site.url("/admin/"))
    screen_link = audited.locator("a[href$='/imprimer/']").first
    expect(screen_link).to_have_count(1)
    screen_link.click()
    expect(audited.locator("h1")).to_contain_text(COMMUNE)
    assert_admin_accessible(audited, "the printables screen", ".mprc-printables-screen")
    screen_url = audited.url
    links = print_links(audited)
    modules = {module for _url, module, _kind in links}
    assert {"participation", "exchange"} <= modules, links
    for module in modules:
        kinds = sorted(kind for _url, other, kind in links if other == module)
        assert kinds == ["affiche", "formulaire", "tract"], (module, kinds)
    if "needs" not in modules:
        print("\nThe call for needs declares no printables yet: its pieces are not checked.")

    # The pieces print without JavaScript.
    plain = new_context(java_script_enabled=False).new_page()
    admin_login(plain, live_site, STAFF)
    response = plain.goto(screen_url)
    assert response.status == 200
    assert print_links(plain) == links

    for url, module, kind in links:
        size, most_pages, url_selector = PIECES[kind]
        name = f"{module}-{kind}"
        response = plain.goto(url)
        assert response.status == 200, url
        heading = flat(plain.locator("h1").inner_text())
        printed_url = flat(plain.locator(url_selector).inner_text())
        data = plain.pdf(format=size, print_background=True, prefer_css_page_size=True)
        pages, text = pdf_text(data)
        assert 1 <= pages <= most_pages, f"{name}: {pages} pages"
        for expected in (heading, COMMUNE, *HOURS):
            assert flat(expected) in text, f"{name}: «{expected}» not in the PDF: {text[:500]}"
        # The QR code, read from the printed page, leads to the address printed in full,
        # which is the module's page (or its online form), served by the site.
        assert decode_first_page(data, tmp_path, name) == [printed_url], name
        target = urlsplit(printed_url)
        assert target.scheme in ("http", "https"), printed_url
        assert TARGETS[(module, kind)].match(target.path), (name, printed_url)
        assert plain.context.request.get(live_site.url(target.path)).status == 200, target.path

        audited.goto(url)
        assert_accessible(audited, f"{name} ({url})")
        # On screen the sheet sits under a note that says how to print; on paper the note
        # is gone (it is not in the PDF).
        note = flat(audited.locator(".print-help").inner_text())
        assert note[:40] not in text, name
