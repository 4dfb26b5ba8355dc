"""Printed material: posters, flyers, paper forms and letters to residents.

Each is a print-ready HTML page (``@page`` rules for A4 or A5, ``print.css``) that prints
right from any browser, with no script: staff open it from the admin and print it, or save
it as PDF from the print dialogue. QR codes are inline SVG, drawn by segno (pure Python).
"""

from dataclasses import dataclass, field

import segno
from django import forms
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mprc_cms import french
from mprc_cms.forms import HONEYPOT_FIELD
from mprc_cms.modules import get_modules, running_modules
from mprc_cms.text import plain_text
from mprc_cms.views import private

# Paper sizes the templates know (``print/base.html``: ``size`` in the context).
A4 = "A4"
A5 = "A5"


def qr_svg(url, *, label=None):
    """The QR code of ``url`` as inline SVG (scales with its box: no width or height),
    with ``label`` (default: the address) as its accessible name. Error correction M: it
    still reads on a crumpled or photocopied poster."""
    code = segno.make(str(url), error="m", micro=False)
    title = escape(label or url)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None)
    # role="img" and a <title>: screen readers announce it as one picture.
    svg = svg.replace("<svg ", '<svg role="img" ', 1).replace(">", f"><title>{title}</title>", 1)
    return mark_safe(svg)  # noqa: S308 - segno's markup, the only text in it escaped


@dataclass
class Printable:
    """One piece of a module's printed material for a commune (``ModuleInfo.printables``):
    an A4 poster and an A5 flyer inviting residents to ``url`` (its QR code), and, with
    ``paper_form``, the paper form matching the online one that staff then type in.

    ``key``: unique within the module, in the admin's addresses ("signup");
    ``label``: for staff, in the list of printables; ``heading`` and ``text``: what the
    poster and flyer say; ``paper_form``: a callable returning an unbound instance of the
    online form (its fields, labels, choices and help texts make the paper form)."""

    key: str
    label: str
    heading: str
    text: str
    url: str
    paper_form: object = None
    # The paper form's title (default: ``heading``), the sentences printed above its
    # fields (who may answer, what happens next), and the address of the online form its
    # QR code leads to (default: ``url``).
    form_title: str = ""
    form_intro: tuple = ()
    form_url: str = ""

    def __post_init__(self):
        self.form_title = self.form_title or self.heading
        self.form_url = self.form_url or self.url

    @property
    def has_paper_form(self):
        # For templates, which would call ``paper_form`` and build the form.
        return self.paper_form is not None


@dataclass
class TownHall:
    """How to reach the town hall, printed at the foot of everything: its name, address,
    phone, e-mail and opening hours (the commune page's fields)."""

    name: str
    address_lines: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    hours_lines: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, commune):
        def lines(text):
            return [line.strip() for line in (text or "").splitlines() if line.strip()]

        return cls(
            name=french.contract(
                _("Town hall of %(commune)s") % {"commune": commune.title}, commune.title
            ),
            address_lines=lines(commune.address),
            phone=commune.phone,
            email=commune.email,
            hours_lines=lines(commune.opening_hours),
        )


def render_print(request, template, context, *, commune, size=A4, personal=False):
    """A print-ready page: ``template`` extends ``print/base.html``. ``personal`` for a
    page that holds a resident's data or personal link (a letter): never cached, never
    indexed."""
    context = {
        "commune": commune,
        "town_hall": TownHall.of(commune),
        "size": size,
        **context,
    }
    response = TemplateResponse(request, template, context)
    return private(response) if personal else response


class LetterAddressForm(forms.Form):
    """The postal address printed on a letter to a resident: typed by staff each time
    (prefilled when the record holds one), printed, never stored."""

    MAX_LINES = 6

    address = forms.CharField(
        label=gettext_lazy("Postal address on the letter"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One line each. Leave empty for a letter handed over at the counter. Not kept."
        ),
    )

    def lines(self):
        """The address's lines, as plain text, blank ones left out (none when invalid)."""
        if not self.is_valid():
            return []
        text = plain_text(self.cleaned_data["address"], multiline=True)
        return [line for line in text.splitlines() if line.strip()][: self.MAX_LINES]


def render_letter(
    request, *, commune, recipient, address_lines, subject, paragraphs, link_url, link_label
):
    """A letter to a resident without internet (or who prefers paper), ready for a window
    envelope: the town hall's address, the resident's, the subject, the paragraphs (plain
    text, escaped), then their personal link printed in full with its QR code.
    ``address_lines``: the postal address typed by staff, one line each (may be empty:
    handed over at the counter)."""
    context = {
        "recipient": recipient,
        "address_lines": [line for line in address_lines if line.strip()],
        "subject": subject,
        "paragraphs": paragraphs,
        "link_url": link_url,
        "link_label": link_label,
        "link_qr": qr_svg(link_url, label=link_label),
    }
    return render_print(request, "print/letter.html", context, commune=commune, personal=True)


# --- Posters, flyers and paper forms of the modules ---------------------------------------


@dataclass(frozen=True)
class PrintKind:
    """One of the three pieces every printable gives: its slug in the admin's addresses,
    its template, its paper size and its name for staff."""

    slug: str
    template: str
    size: str
    label: object


POSTER = PrintKind("affiche", "print/poster.html", A4, gettext_lazy("A4 poster"))
FLYER = PrintKind("tract", "print/flyer.html", A5, gettext_lazy("A5 flyer"))
PAPER_FORM = PrintKind("formulaire", "print/paper_form.html", A4, gettext_lazy("Paper form"))
PRINT_KINDS = {kind.slug: kind for kind in (POSTER, FLYER, PAPER_FORM)}

# Writing lines of a multi-line answer on paper: the online field's rows, within these.
MIN_TEXT_LINES = 3
MAX_TEXT_LINES = 8
# Boxes for an e-mail address, one character each: long enough for most addresses.
EMAIL_CELLS = 32


def _flat_choices(field):
    """The labels of a choice field's choices, groups flattened, without the empty choice
    («Choose…», «Not said»)."""
    labels = []
    for value, label in field.choices:
        if isinstance(label, (list, tuple)):  # a group: (name, [(value, label), …])
            labels.extend(
                str(sub_label)
                for sub_value, sub_label in label
                if getattr(sub_value, "value", sub_value) not in ("", None)
            )
            continue
        if getattr(value, "value", value) in ("", None):  # ModelChoiceIteratorValue too
            continue
        labels.append(str(label))
    return labels


def _paper_field(bound):
    """What the paper form prints for one field: a dict the template reads."""
    field = bound.field
    widget = field.widget
    entry = {
        "name": bound.name,
        "label": bound.label,
        "help_text": field.help_text,
        "required": field.required,
        "optional": not field.required,
        "choices": [],
        "multiple": False,
        "lines": 1,
        "cells": 0,
    }
    if isinstance(field, forms.NullBooleanField):
        entry.update(kind="choices", choices=[_("Yes"), _("No")])
    elif isinstance(field, forms.BooleanField) or isinstance(widget, forms.CheckboxInput):
        # A box to tick, its label beside it in full (a consent keeps every word).
        entry.update(kind="checkbox", optional=False)
    elif isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        entry.update(kind="choices", choices=_flat_choices(field), multiple=True)
    elif isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)):
        entry.update(kind="choices", choices=_flat_choices(field))
    elif isinstance(field, forms.EmailField):
        entry.update(kind="boxes", cells=EMAIL_CELLS)
    elif isinstance(widget, forms.Textarea):
        try:
            rows = int(widget.attrs.get("rows", MAX_TEXT_LINES))
        except (TypeError, ValueError):
            rows = MAX_TEXT_LINES
        entry.update(kind="lines", lines=max(MIN_TEXT_LINES, min(MAX_TEXT_LINES, rows)))
    else:
        entry.update(kind="lines")
    # What the template loops over to draw the lines and the boxes.
    entry["line_range"] = range(entry["lines"] if entry["kind"] == "lines" else 0)
    entry["cell_range"] = range(entry["cells"])
    return entry


def paper_fields(form):
    """The fields of an unbound ``form`` as the paper form prints them, in the form's
    order: ``[{"name", "kind", "label", "help_text", "required", "optional", "choices",
    "multiple", "lines", "cells"}, …]``. Hidden fields and the honeypot are left out.

    ``kind``: "lines" (``lines`` ruled writing lines: more for a multi-line answer),
    "boxes" (``cells`` boxes, one character each: an e-mail address), "choices" (a box per
    choice, the empty one left out; ``multiple`` when several may be ticked), "checkbox"
    (one box and the label beside it, e.g. a consent). ``optional``: said beside the label
    («optional»); ``required`` fields are marked."""
    return [
        _paper_field(form[name])
        for name, field in form.fields.items()
        if name != HONEYPOT_FIELD and not field.widget.is_hidden
    ]


def commune_printables(commune, modules=None):
    """``[(module, [Printable, …]), …]``: the printed material of each module on for
    ``commune`` that declares some (``ModuleInfo.printables``), in the modules' order."""
    modules = [m for m in (get_modules() if modules is None else modules) if m.info.printables]
    running = running_modules([commune], modules)[commune.pk]
    found = []
    for module in modules:
        if module.key not in running:
            continue
        printables = import_string(module.info.printables)(commune, running[module.key])
        if printables:
            found.append((module, list(printables)))
    return found


def find_printable(commune, module_key, printable_key, kind_slug):
    """(printable, kind) of ``commune``'s module ``module_key``; Http404 for a module off
    (or unknown), an unknown printable or piece, and a paper form the printable has not."""
    kind = PRINT_KINDS.get(kind_slug)
    modules = [module for module in get_modules() if module.key == module_key]
    if kind is None or not modules:
        raise Http404
    for _module, printables in commune_printables(commune, modules):
        for printable in printables:
            if printable.key == printable_key:
                if kind is PAPER_FORM and printable.paper_form is None:
                    raise Http404
                return printable, kind
    raise Http404


def render_printable(request, printable, kind, *, commune):
    """The poster, the flyer or the paper form (``kind``) of ``printable``."""
    context = {
        "printable": printable,
        "kind": kind,
        "qr": qr_svg(printable.url, label=printable.heading),
    }
    if kind is PAPER_FORM:
        fields = paper_fields(printable.paper_form())
        context.update(
            fields=fields,
            any_required=any(entry["required"] for entry in fields),
            qr=qr_svg(printable.form_url, label=printable.form_title),
        )
    response = render_print(request, kind.template, context, commune=commune, size=kind.size)
    # Staff's screens: no cache keeps them.
    return private(response)
