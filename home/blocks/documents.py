from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class DocumentListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    documents = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("document", DocumentChooserBlock(label=_("Document"))),
                (
                    "description",
                    blocks.CharBlock(label=_("Description"), required=False, max_length=200),
                ),
            ],
            label=_("Document"),
        ),
        label=_("Documents"),
        min_num=1,
    )

    class Meta:
        icon = "doc-full"
        label = _("Document list")
        template = "home/blocks/document_list.html"
