from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .rich_text import RESTRICTED_FEATURES


class FAQBlock(blocks.StructBlock):
    """Questions and answers; each answer opens without JavaScript (details/summary)."""

    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("question", blocks.CharBlock(label=_("Question"), max_length=250)),
                ("answer", blocks.RichTextBlock(label=_("Answer"), features=RESTRICTED_FEATURES)),
            ],
            label=_("Question"),
        ),
        label=_("Questions"),
        min_num=1,
    )

    class Meta:
        icon = "help"
        label = _("Frequently asked questions")
        template = "home/blocks/faq.html"
