"""What a share-back proposal changes: the template's fields, one by one, the current text
beside the proposed one, with the words taken out and put in marked.

Wagtail's own revision comparison (``wagtail.admin.compare``) diffs two revisions field
by field too, but it marks both sides in one text with ``<span>``s whose meaning only a
colour gives. The review screen shows the two texts side by side with ``<del>`` and
``<ins>``, each announced to screen readers, over the plain text of each field (rich text
and StreamField blocks reduced to their words, with Wagtail's ``text_from_html``).
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import RichText
from wagtail.utils.text import text_from_html

from mprc_cms.templatetags.mprc_i18n import interface_lang

from .models import ProjectTemplatePage, TemplateProposal

#: The fields compared, in the order of the editor's panels.
COMPARED_FIELDS = (
    "title",
    "category",
    "summary",
    "problem",
    "image",
    "steps",
    "budget_min",
    "budget_max",
    "duration",
    "roles",
    "pitfalls",
    "success_factors",
    "resources",
    "licence",
    "origin",
    "version_note",
)

# Words (with their inner apostrophes and hyphens: “d'essayer”, “Saint-Aubin”), runs of
# spaces, and each other character.
_TOKENS = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]")
_WORD = re.compile(r"\w")


def _block_text(block, value):
    """The words of a StreamField block's value, one line per leaf."""
    if value is None:
        return ""
    if isinstance(block, blocks.StructBlock):
        parts = (_block_text(child, value.get(name)) for name, child in block.child_blocks.items())
        return "\n".join(part for part in parts if part)
    if isinstance(block, blocks.ListBlock):
        parts = (_block_text(block.child_block, item) for item in value)
        return "\n".join(part for part in parts if part)
    if isinstance(block, blocks.StreamBlock):
        return stream_text(value)
    if isinstance(value, RichText):
        return text_from_html(value.source)
    if isinstance(block, blocks.RawHTMLBlock):
        return str(value)
    return str(value).strip()


def stream_text(stream_value):
    """The words of a StreamField, a blank line between its blocks."""
    parts = (_block_text(child.block, child.value) for child in stream_value)
    return "\n\n".join(part for part in parts if part)


def field_text(page, name):
    """The text shown for one field of a template, as the comparison reads it."""
    model_field = page._meta.get_field(name)
    value = getattr(page, model_field.attname)
    if value in (None, ""):
        return ""
    if isinstance(model_field, StreamField):
        return stream_text(value)
    if isinstance(model_field, RichTextField):
        return text_from_html(value)
    if isinstance(model_field, models.ForeignKey):
        related = getattr(page, name, None)
        return str(related) if related is not None else ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.IntegerField):
        return number_format(value, force_grouping=True)
    return str(value).strip()


def _tokens(text):
    return _TOKENS.findall(text)


def _plain(text):
    """Escaped text, its line breaks kept."""
    return mark_safe(escape(text).replace("\n", "<br>"))  # noqa: S308 (escaped)


def _run(tag, label, tokens):
    text = _plain("".join(tokens))
    if tag is None:
        return text
    # The cells are marked as the editors' language; the announcement is the interface's.
    return format_html(
        '<{0}><span class="w-sr-only"{1}>{2} </span>{3}</{0}>', tag, interface_lang(), label, text
    )


def _opcodes(a, b):
    """difflib's opcodes over the tokens, a run of spaces or punctuation alone between two
    changes counted in the change: “<del>Jardin partagé</del>” rather than three pieces."""
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    joined = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        between_changes = 0 < index < len(opcodes) - 1
        if op == "equal" and between_changes and not any(_WORD.search(t) for t in a[i1:i2]):
            op = "replace"
        if op != "equal" and joined and joined[-1][0] != "equal":
            _previous, i1, _i2, j1, _j2 = joined.pop()
            op = "replace"
        joined.append((op, i1, i2, j1, j2))
    return joined


def word_diff(current, proposed):
    """The two texts as HTML, the words taken out of ``current`` in ``<del>``, those put
    in ``proposed`` in ``<ins>`` (each with its meaning for screen readers)."""
    a, b = _tokens(current), _tokens(proposed)
    deleted, inserted = _("deleted:"), _("added:")
    left, right = [], []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            left.append(_run(None, None, a[i1:i2]))
            right.append(_run(None, None, b[j1:j2]))
            continue
        if i2 > i1:
            left.append(_run("del", deleted, a[i1:i2]))
        if j2 > j1:
            right.append(_run("ins", inserted, b[j1:j2]))
    # Every run is escaped by _run.
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308


@dataclass
class FieldComparison:
    name: str
    label: str
    changed: bool
    current: str  # HTML
    proposed: str  # HTML


@dataclass
class ProposalComparison:
    """The proposed template against the version it would replace (``base``), or alone
    (``base`` None: a new template that starts from nothing)."""

    base_label: str
    proposed_label: str
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    has_base: bool = True


def compare_templates(base, proposed):
    """Field by field: the changed fields (with their word diff), the unchanged ones."""
    changed, unchanged = [], []
    for name in COMPARED_FIELDS:
        label = capfirst(ProjectTemplatePage._meta.get_field(name).verbose_name)
        proposed_text = field_text(proposed, name)
        if base is None:
            if proposed_text:
                changed.append(FieldComparison(name, label, True, "", _plain(proposed_text)))
            continue
        base_text = field_text(base, name)
        if base_text == proposed_text:
            unchanged.append(
                FieldComparison(name, label, False, _plain(base_text), _plain(proposed_text))
            )
        else:
            current_html, proposed_html = word_diff(base_text, proposed_text)
            changed.append(FieldComparison(name, label, True, current_html, proposed_html))
    return changed, unchanged


def proposed_revision(proposal):
    """The revision the proposal saved (later edits of the draft are the reviewer's)."""
    template = proposal.template
    if template is None:
        return None
    revisions = template.revisions.order_by("-created_at", "-pk")
    return revisions.filter(created_at__lte=proposal.created_at).first() or revisions.first()


def _version_before(template, number):
    """The template as last published under the highest version number below ``number``."""
    version = template.versions.filter(number__lt=number).order_by("-number").first()
    if version is not None:
        return version.as_page(), version.number
    if template.live_revision_id is not None:
        live = template.live_revision.as_object()
        return live, live.version
    return None, None


def proposal_comparison(proposal):
    """The comparison shown on the review screen, or None when the draft is gone (a
    declined new template)."""
    revision = proposed_revision(proposal)
    if revision is None:
        return None
    proposed = revision.as_object()
    template = proposal.template.specific
    if proposal.kind == TemplateProposal.Kind.NEW_VERSION:
        base, number = _version_before(template, proposed.version)
        if number == template.version:
            base_label = _("Version %(number)s (current)") % {"number": number}
        else:  # published since
            base_label = _("Version %(number)s") % {"number": number}
        proposed_label = _("Proposed version %(number)s") % {"number": proposed.version}
    else:
        source = proposal.project.source_template
        base = source.specific if source is not None else None
        base_label = (
            _("The template “%(title)s” (version %(number)s)")
            % {"title": base.title, "number": base.version}
            if base is not None
            else ""
        )
        proposed_label = _("Proposed template")
    changed, unchanged = compare_templates(base, proposed)
    return ProposalComparison(
        base_label=base_label,
        proposed_label=proposed_label,
        changed=changed,
        unchanged=unchanged,
        has_base=base is not None,
    )
