"""The project's form renderer (FORM_RENDERER = TemplatesSetting) with its own select and
radio/checkbox templates (mprc_cms/templates/django/forms/widgets/): options inline, the
same HTML as Django's own templates."""

import re

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, TemplatesSetting, get_default_renderer
from django.template.loader import get_template
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

WIDGETS = [forms.Select, forms.SelectMultiple, forms.RadioSelect, forms.CheckboxSelectMultiple]
MULTIPLE = (forms.SelectMultiple, forms.CheckboxSelectMultiple)


def normalised(html):
    """Runs of whitespace collapsed, none next to a tag's brackets."""
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*([<>])\s*", r"\1", html).strip()


def test_the_project_renders_forms_with_its_templates():
    assert settings.FORM_RENDERER == "django.forms.renderers.TemplatesSetting"
    assert isinstance(get_default_renderer(), TemplatesSetting)
    for name in ("select.html", "multiple_input.html"):
        origin = get_template(f"django/forms/widgets/{name}").origin.name
        assert origin.endswith(f"mprc_cms/templates/django/forms/widgets/{name}"), origin


def test_the_options_are_inline_with_the_projects_renderer():
    """The project's templates are the ones used: no template per option (Django's own
    renderer loads one per option, and four per radio button)."""
    from django.test.signals import template_rendered

    choices = [("1", "Un"), ("2", "Deux"), ("3", "Trois")]
    for widget_class, whole, option in (
        (forms.Select, "select.html", "select_option.html"),
        (forms.RadioSelect, "radio.html", "radio_option.html"),
        (forms.CheckboxSelectMultiple, "checkbox_select.html", "checkbox_option.html"),
    ):
        for renderer, option_count in ((TemplatesSetting(), 0), (DjangoTemplates(), 3)):
            used = []

            def seen(sender, template, **kwargs):
                used.append(template.origin.template_name)  # noqa: B023

            template_rendered.connect(seen)
            try:
                widget_class(choices=choices).render("choix", "2", renderer=renderer)
            finally:
                template_rendered.disconnect(seen)
            assert f"django/forms/widgets/{whole}" in used
            assert used.count(f"django/forms/widgets/{option}") == option_count, used


# Labels and values with what HTML escapes, accents and spaces.
TEXT = st.text(alphabet="aé <>&\"'çÀ\n\t-", max_size=8)
VALUE = st.one_of(TEXT, st.integers(min_value=-5, max_value=50))
OPTION = st.tuples(VALUE, st.one_of(TEXT, st.integers(min_value=0, max_value=9)))
GROUP = st.tuples(TEXT.filter(bool), st.lists(OPTION, min_size=0, max_size=4))
CHOICES = st.lists(st.one_of(OPTION, GROUP), max_size=6)


@st.composite
def widgets(draw):
    widget_class = draw(st.sampled_from(WIDGETS))
    choices = draw(CHOICES)
    values = [
        value
        for choice in choices
        for value in (
            [option[0] for option in choice[1]] if isinstance(choice[1], list) else [choice[0]]
        )
    ]
    if values and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(values), max_size=3))
    else:
        chosen = draw(st.lists(VALUE, max_size=2))
    value = chosen if widget_class in MULTIPLE else (chosen[0] if chosen else None)
    attrs = {}
    if draw(st.booleans()):
        attrs["id"] = draw(st.sampled_from(["id_choix", "id_é-1"]))
    if draw(st.booleans()):
        attrs["class"] = draw(st.sampled_from(["filtre", 'a"b']))
    if draw(st.booleans()):
        attrs["required"] = draw(st.booleans())
    name = draw(st.sampled_from(["choix", "commune", "a&b"]))
    return widget_class(choices=choices), name, value, attrs


@hypothesis_settings(max_examples=300, deadline=None)
@given(widgets())
def test_the_projects_widgets_render_as_djangos(case):
    widget, name, value, attrs = case
    ours = widget.render(name, value, attrs=dict(attrs), renderer=TemplatesSetting())
    djangos = widget.render(name, value, attrs=dict(attrs), renderer=DjangoTemplates())
    assert normalised(ours) == normalised(djangos)


def test_a_bound_field_renders_as_djangos():
    class Filters(forms.Form):
        commune = forms.ChoiceField(
            choices=[("", "Toutes"), ("Communes", [("1", "Aubigny-les-Prés"), ("2", "L'Étang")])]
        )
        kinds = forms.MultipleChoiceField(
            choices=[("a", "A & B"), ("b", "<b>")], widget=forms.CheckboxSelectMultiple
        )

    ours = Filters({"commune": "2", "kinds": ["b"]}).as_div()
    djangos = Filters({"commune": "2", "kinds": ["b"]}, renderer=DjangoTemplates()).as_div()
    assert normalised(ours) == normalised(djangos)
    assert 'value="2" selected' in ours


# --- A widget's own option template ---------------------------------------------------------


@pytest.fixture
def own_option_templates(settings, tmp_path):
    """Templates of the test's own: an option template for a select and one for radios."""
    folder = tmp_path / "templates" / "essai"
    folder.mkdir(parents=True)
    (folder / "option.html").write_text(
        '<option data-own="1" value="{{ widget.value }}">[{{ widget.label }}]</option>'
    )
    (folder / "radio.html").write_text('<span data-own="radio">{{ widget.label }}</span>')
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], tmp_path / "templates"]
    settings.TEMPLATES = templates


def test_a_custom_option_template_is_still_used(own_option_templates):
    class OwnSelect(forms.Select):
        option_template_name = "essai/option.html"

    class OwnRadios(forms.RadioSelect):
        option_template_name = "essai/radio.html"

    choices = [("1", "Un"), ("Groupe", [("2", "Deux")])]
    for widget_class, marker in ((OwnSelect, 'data-own="1"'), (OwnRadios, 'data-own="radio"')):
        widget = widget_class(choices=choices)
        ours = widget.render("choix", "2", renderer=TemplatesSetting())
        assert ours.count(marker) == 2, ours
    assert "[Deux]" in OwnSelect(choices=choices).render("choix", "2")
