"""Printed material (issue 19): QR codes, paper forms drawn from the online forms, the
commune's «Posters, flyers and paper forms» screen and each module's printables.

The real check of the printed sheets (Chromium's PDF, its text, its QR code decoded from
the rendered page) is tests/browser/test_printing.py; here the QR codes are decoded from
the SVG path the pages hold."""

import re
from html import unescape

import pytest
import segno
from django import forms
from django.apps import apps
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from home.models import CommunePage
from mprc_cms import french
from mprc_cms.forms import HONEYPOT_FIELD, HoneypotMixin
from mprc_cms.modules import get_module
from mprc_cms.printing import (
    EMAIL_CELLS,
    MAX_TEXT_LINES,
    MIN_TEXT_LINES,
    paper_fields,
    qr_svg,
)
from tests.conftest import needs_every_module

HOURS = "Lundi et jeudi : 9 h – 12 h\nSamedi : 10 h – 12 h"

# --- QR codes -------------------------------------------------------------------------------

_PATH = re.compile(r'<path[^>]* d="([^"]+)"')
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_STEP = re.compile(r"([MmHh])(-?\d+(?:\.\d+)?)(?:[ ,](-?\d+(?:\.\d+)?))?")


def svg_matrix(svg):
    """The dark modules of the QR code an SVG of ``qr_svg`` draws: a list of rows of 0/1,
    read from its path (segno draws each row's runs of dark modules as horizontal lines)."""
    width, height = map(int, _VIEWBOX.search(svg).groups())
    rows = [[0] * width for _ in range(height)]
    x = y = 0.0
    for command, first, second in _STEP.findall(_PATH.search(svg).group(1)):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            end = x + float(first) if command == "h" else float(first)
            for column in range(int(min(x, end)), int(max(x, end))):
                rows[int(y)][column] = 1
            x = end
    return rows


def decode_svg(svg):
    """The text of the QR code drawn by ``svg``, decoded by zxing-cpp from a picture of it."""
    import zxingcpp
    from PIL import Image

    rows = svg_matrix(svg)
    scale = 8
    image = Image.new("L", (len(rows[0]) * scale, len(rows) * scale), 255)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    results = zxingcpp.read_barcodes(image)
    assert len(results) == 1, results
    return results[0].text


def qr_codes(html):
    return [decode_svg(svg) for svg in re.findall(r"<svg.*?</svg>", html, re.S)]


@pytest.mark.parametrize(
    "url",
    [
        "https://aubigny-les-pres.example.org/devenir-volontaire/",
        "http://localhost/echanges/publier/?q=a&b=%C3%A9",
    ],
)
def test_the_qr_code_holds_the_address(url):
    svg = str(qr_svg(url))
    expected = segno.make(url, error="m", micro=False)
    border = 4
    rows = svg_matrix(svg)
    inner = [row[border:-border] for row in rows[border:-border]]
    assert inner == [[int(bool(module)) for module in row] for row in expected.matrix]
    assert decode_svg(svg) == url
    # An image with an accessible name, scaling with its box.
    assert svg.startswith('<svg role="img" ')
    assert f"<title>{escape(url)}</title>" in svg
    assert "width=" not in svg.split(">", 1)[0]


def test_the_qr_codes_name_is_escaped():
    svg = str(qr_svg("https://example.org/", label='<b>"Bourg" & co</b>'))
    assert "<title>&lt;b&gt;&quot;Bourg&quot; &amp; co&lt;/b&gt;</title>" in svg
    assert "<b>" not in svg


# --- Paper forms drawn from the online forms -------------------------------------------------

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(str.strip)
label = st.one_of(text, st.just("<script>alert(1)</script>"), st.just("Nom & « prénom »"))
choice_labels = st.lists(label, min_size=1, max_size=6)
HIDDEN_LABEL = "Champ caché qzx"


@st.composite
def field_specs(draw):
    kind = draw(
        st.sampled_from(
            [
                "char",
                "tel",
                "textarea",
                "email",
                "integer",
                "date",
                "select",
                "radio",
                "typed",
                "multiple",
                "checkboxes",
                "boolean",
                "nullboolean",
                "hidden",
            ]
        )
    )
    return {
        "kind": kind,
        "label": draw(label),
        "help": draw(st.one_of(st.just(""), label)),
        "required": draw(st.booleans()),
        "choices": draw(choice_labels),
        "empty_choice": draw(st.booleans()),
        "rows": draw(st.integers(min_value=1, max_value=30)),
    }


def build_field(spec):
    common = {"label": spec["label"], "help_text": spec["help"], "required": spec["required"]}
    choices = [(f"v{i}", text) for i, text in enumerate(spec["choices"])]
    if spec["empty_choice"]:
        choices = [("", "Choisir…"), *choices]
    kind = spec["kind"]
    if kind == "char":
        return forms.CharField(**common)
    if kind == "tel":
        return forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), **common)
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": spec["rows"]}), **common)
    if kind == "email":
        return forms.EmailField(**common)
    if kind == "integer":
        return forms.IntegerField(**common)
    if kind == "date":
        return forms.DateField(**common)
    if kind == "select":
        return forms.ChoiceField(choices=choices, **common)
    if kind == "radio":
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "typed":
        return forms.TypedChoiceField(choices=choices, coerce=str, **common)
    if kind == "multiple":
        return forms.MultipleChoiceField(choices=choices, **common)
    if kind == "checkboxes":
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind == "nullboolean":
        return forms.NullBooleanField(**common)
    return forms.CharField(widget=forms.HiddenInput, label=HIDDEN_LABEL, required=spec["required"])


class SpamGuardedForm(HoneypotMixin, forms.Form):
    pass


CHOICE_KINDS = {"select", "radio", "typed", "multiple", "checkboxes"}


@given(specs=st.lists(field_specs(), min_size=1, max_size=8), honeypot=st.booleans())
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_the_paper_form_prints_every_question_and_choice_escaped(specs, honeypot):
    form = SpamGuardedForm() if honeypot else forms.Form()
    for index, spec in enumerate(specs):
        form.fields[f"field_{index}"] = build_field(spec)
    entries = paper_fields(form)
    html = render_to_string("print/paper_fields.html", {"fields": entries})

    visible = [spec for spec in specs if spec["kind"] != "hidden"]
    assert [entry["label"] for entry in entries] == [spec["label"] for spec in visible]
    for spec in visible:
        assert escape(spec["label"]) in html
        if spec["help"]:
            assert escape(spec["help"]) in html
        if spec["kind"] in CHOICE_KINDS:
            for choice in spec["choices"]:
                assert escape(choice) in html
    # Nothing a resident typed into a label reaches the page as markup.
    assert "<script>" not in html
    # One box per choice (the empty one left out), per yes/no answer and per box to tick.
    boxes = sum(
        len(spec["choices"])
        if spec["kind"] in CHOICE_KINDS
        else 2
        if spec["kind"] == "nullboolean"
        else 1
        if spec["kind"] == "boolean"
        else 0
        for spec in visible
    )
    assert html.count("☐") == boxes
    assert escape(gettext("Choose…")) not in html
    # Hidden fields and the honeypot are left out.
    assert HIDDEN_LABEL not in html
    assert escape(str(SpamGuardedForm().fields[HONEYPOT_FIELD].label)) not in html
    assert HONEYPOT_FIELD not in {entry["name"] for entry in entries}
    # Required answers are marked; several answers said so.
    assert html.count('class="paper-required"') == sum(spec["required"] for spec in visible)
    multiple = sum(spec["kind"] in ("multiple", "checkboxes") for spec in visible)
    assert html.count(escape(gettext("several answers possible"))) == multiple
    for spec, entry in zip(visible, entries, strict=True):
        if spec["kind"] == "textarea":
            assert entry["lines"] == max(MIN_TEXT_LINES, min(MAX_TEXT_LINES, spec["rows"]))
            assert len(entry["line_range"]) == entry["lines"]
        elif spec["kind"] == "email":
            assert entry["kind"] == "boxes"
            assert len(entry["cell_range"]) == EMAIL_CELLS
            assert entry["optional"] == (not spec["required"])
        elif spec["kind"] in ("char", "tel", "integer", "date"):
            assert (entry["kind"], entry["lines"]) == ("lines", 1)
        elif spec["kind"] == "boolean":
            assert entry["kind"] == "checkbox"
            assert not entry["optional"]


def test_optional_answers_say_so_in_french(db, french):
    form = forms.Form()
    form.fields["email"] = forms.EmailField(label="Courriel", required=False)
    form.fields["name"] = forms.CharField(label="Nom")
    form.fields["several"] = forms.MultipleChoiceField(
        label="Quand ?", choices=[("a", "Matin"), ("b", "Soir")], required=False
    )
    html = " ".join(
        render_to_string("print/paper_fields.html", {"fields": paper_fields(form)}).split()
    )
    optional = escape(gettext("optional"))
    assert f'Courriel <span class="paper-field__note">({optional})</span>' in html
    assert 'Nom <span class="paper-required">*</span>' in html
    assert escape(gettext("several answers possible")) in html


# --- The commune's screen of printed material ---------------------------------------------------


def printables_url(commune):
    return f"/admin/communes/{commune.pk}/imprimer/"


def print_url(commune, module, key, kind):
    return f"/admin/communes/{commune.pk}/imprimer/{module}/{key}/{kind}/"


def flat(response):
    """The page's text, without tags, entities decoded and spaces (no-break ones too)
    collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def with_hours(commune_a):
    CommunePage.objects.filter(pk=commune_a.pk).update(
        opening_hours=HOURS, phone="03 85 00 00 00", address="1 place de la Mairie\n71250 Aubigny"
    )


pytestmark = pytest.mark.usefixtures("french")


@needs_every_module
def test_staff_find_each_modules_printables(every_module_on, client_a, commune_a):
    response = client_a.get(printables_url(commune_a))
    assert response.status_code == 200
    html = response.content.decode()
    for module, key in (("participation", "signup"), ("exchange", "board")):
        for kind in ("affiche", "tract", "formulaire"):
            assert f'href="{print_url(commune_a, module, key, kind)}"' in html
    text = flat(response)
    for label in ("A4 poster", "A5 flyer", "Paper form"):
        assert gettext(label) in text
    # Reached from the commune's Modules screen and the dashboard.
    modules = client_a.get(f"/admin/communes/{commune_a.pk}/").content.decode()
    assert f'href="{printables_url(commune_a)}"' in modules
    assert f'href="{printables_url(commune_a)}"' in client_a.get("/admin/").content.decode()


@needs_every_module
@pytest.mark.parametrize(
    ("module", "key", "kind"),
    [
        ("participation", "signup", "affiche"),
        ("participation", "signup", "tract"),
        ("participation", "signup", "formulaire"),
        ("exchange", "board", "affiche"),
        ("exchange", "board", "tract"),
        ("exchange", "board", "formulaire"),
    ],
)
def test_each_piece_holds_the_call_the_town_hall_and_the_qr_code(
    every_module_on, with_hours, client_a, commune_a, module, key, kind
):
    response = client_a.get(print_url(commune_a, module, key, kind))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    text = flat(response)
    assert commune_a.title in text
    for line in HOURS.splitlines():
        assert " ".join(line.split()) in text
    assert "03 85 00 00 00" in text
    assert "1 place de la Mairie" in text
    index = get_module(module).index_page_for(commune_a).specific
    page_url = index.get_full_url()
    assert page_url.startswith("http")
    target = page_url + ("publier/" if (module, kind) == ("exchange", "formulaire") else "")
    # The address in full, and the QR code leading to it.
    assert target in text
    assert qr_codes(response.content.decode()) == [target]
    if kind != "formulaire":
        heading = {
            "participation": "Become a volunteer for the micro-parliament of %(commune)s",
            "exchange": "Neighbours helping each other in %(commune)s",
        }[module]
        title = commune_a.title
        heading = french.contract(gettext(heading) % {"commune": title}, title)
        assert " ".join(heading.split()) in text
        assert " ".join(str(get_module(module).invitation).split()) in text
    else:
        for words in ("Reserved for the town hall", "Received on:", "Typed in on:"):
            assert " ".join(gettext(words).split()) in text
        # The honeypot and hidden fields stay off paper.
        assert gettext("Leave this field empty") not in text
        assert "<input" not in response.content.decode()


@needs_every_module
def test_the_paper_sign_up_form_matches_the_online_one(every_module_on, client_a, commune_a):
    from participation.choices import SocialCategory
    from participation.forms import SignupForm
    from participation.models import ConsentText

    page = get_module("participation").index_page_for(commune_a).specific
    online = SignupForm(page=page, consent_digest=ConsentText.digest_of("x"))
    response = client_a.get(print_url(commune_a, "participation", "signup", "formulaire"))
    html = response.content.decode()
    text = flat(response)
    for bound in online.visible_fields():
        assert escape(str(bound.label)) in html
    # The consent box keeps the text the resident agrees to.
    consent = " ".join(unescape(re.sub(r"<[^>]+>", " ", page.rendered_consent_text())).split())
    assert consent in text
    assert " ".join(page.eligibility().split()) in text
    for _value, category in SocialCategory.choices:
        assert " ".join(str(category).split()) in text


@needs_every_module
def test_the_paper_post_form_matches_the_online_one(every_module_on, client_a, commune_a):
    from exchange.forms import PostForm

    board = get_module("exchange").index_page_for(commune_a).specific
    html = client_a.get(print_url(commune_a, "exchange", "board", "formulaire")).content.decode()
    form = PostForm(page=board)
    for bound in form.visible_fields():
        assert escape(str(bound.label)) in html
    for _value, category in form.fields["category"].choices:
        if _value:
            assert escape(str(category)) in html
    assert escape(gettext("Choose…")) not in html


@needs_every_module
def test_other_communes_staff_get_a_404(every_module_on, client_b, commune_a):
    assert client_b.get(printables_url(commune_a)).status_code == 404
    for kind in ("affiche", "tract", "formulaire"):
        url = print_url(commune_a, "participation", "signup", kind)
        assert client_b.get(url).status_code == 404


@needs_every_module
def test_a_module_off_unknown_or_a_wrong_piece_is_a_404(every_module_on, client_a, commune_a):
    from home.onboarding import switch_module_off

    assert client_a.get(print_url(commune_a, "exchange", "board", "affiche")).status_code == 200
    for url in (
        print_url(commune_a, "nope", "board", "affiche"),
        print_url(commune_a, "exchange", "nope", "affiche"),
        print_url(commune_a, "exchange", "board", "nope"),
        print_url(commune_a, "parliament", "board", "affiche"),
    ):
        assert client_a.get(url).status_code == 404, url
    switch_module_off(commune_a, get_module("exchange"))
    assert client_a.get(print_url(commune_a, "exchange", "board", "affiche")).status_code == 404
    html = client_a.get(printables_url(commune_a)).content.decode()
    assert "/exchange/" not in html
    assert "/participation/signup/" in html


def test_anonymous_visitors_are_sent_to_log_in(commune_a, client):
    tract = print_url(commune_a, "participation", "signup", "tract")
    for url in (printables_url(commune_a), tract):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_a_commune_without_printables_says_so(client_a, commune_a):
    from home.onboarding import switch_module_off
    from mprc_cms.modules import get_modules

    for module in reversed(get_modules()):
        switch_module_off(commune_a, module)
    response = client_a.get(printables_url(commune_a))
    assert response.status_code == 200
    none = gettext("None of the modules on for this commune has printed material.")
    assert " ".join(none.split()) in flat(response)


# --- The call for needs (its ModuleInfo declares them once the lead adds the line) --------

needs_installed = pytest.mark.skipif(
    not apps.is_installed("needs"),
    reason="the call for needs is not installed",
)


@needs_installed
def test_an_open_call_prints_its_question_and_its_proposal_form(commune_a, rf):
    from mprc_cms.printing import PAPER_FORM, POSTER, render_printable
    from needs.factories import CallForNeedsPageFactory, needs_index_for
    from needs.forms import ProposeForm
    from needs.printing import printables

    index = needs_index_for(commune_a)
    CallForNeedsPageFactory(parent=index, closed=True)
    call = CallForNeedsPageFactory(parent=index, question="Que manque-t-il <ici> ?")
    [printable] = printables(commune_a, index)
    assert printable.key == f"call-{call.pk}"
    assert printable.url == call.get_full_url()
    assert printable.form_url == call.get_full_url() + "proposer/"
    assert printable.heading == "Que manque-t-il <ici> ?"
    request = rf.get("/")
    poster = render_printable(request, printable, POSTER, commune=commune_a).render()
    assert escape(printable.heading) in poster.content.decode()
    assert qr_codes(poster.content.decode()) == [call.get_full_url()]
    paper = render_printable(request, printable, PAPER_FORM, commune=commune_a).render()
    html = paper.content.decode()
    assert qr_codes(html) == [printable.form_url]
    for bound in ProposeForm(call=call).visible_fields():
        assert escape(str(bound.label)) in html


@needs_installed
def test_without_an_open_call_the_needs_page_is_printed_without_a_form(commune_a):
    from needs.factories import CallForNeedsPageFactory, needs_index_for
    from needs.printing import printables

    index = needs_index_for(commune_a)
    CallForNeedsPageFactory(parent=index, upcoming=True)
    [printable] = printables(commune_a, index)
    assert printable.key == "needs"
    assert printable.url == index.get_full_url()
    assert printable.paper_form is None
