"""Blocks of the project templates: the steps of the recipe and its resources."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=100)
    description = blocks.TextBlock(label=_("What to do"))
    duration = blocks.CharBlock(
        label=_("Typical duration"), max_length=60, required=False, help_text=_("e.g. 2 weeks")
    )

    class Meta:
        icon = "list-ol"
        label = _("Step")


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=150)
    url = blocks.URLBlock(label=_("Web address"))

    class Meta:
        icon = "link"
        label = _("Link")


class DocumentResourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), max_length=150, required=False, help_text=_("Default: the document's")
    )
    document = DocumentChooserBlock(label=_("Document"))

    class Meta:
        icon = "doc-full"
        label = _("Document")


class StepsBlock(blocks.StreamBlock):
    step = StepBlock()


class ResourcesBlock(blocks.StreamBlock):
    link = LinkBlock()
    document = DocumentResourceBlock()


def document_url(document):
    """A resource document's address on this site, as files and the API give it."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + document.url
