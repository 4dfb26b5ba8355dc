from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .call_to_action import CallToActionBlock
from .documents import DocumentListBlock
from .faq import FAQBlock
from .heading import HeadingBlock
from .image import CaptionedImageBlock
from .rich_text import BODY_FEATURES


class BaseStreamBlock(blocks.StreamBlock):
    """The content blocks every page body offers."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=BODY_FEATURES,
        icon="pilcrow",
        template="home/blocks/paragraph.html",
    )
    image = CaptionedImageBlock()
    call_to_action = CallToActionBlock()
    documents = DocumentListBlock()
    faq = FAQBlock()
