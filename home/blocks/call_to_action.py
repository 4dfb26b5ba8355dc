from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class CallToActionBlock(blocks.StructBlock):
    """A button leading to a page of the site or to another site."""

    text = blocks.CharBlock(label=_("Button text"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page of the site"), required=False)
    url = blocks.URLBlock(label=_("Or a web address"), required=False)
    style = blocks.ChoiceBlock(
        label=_("Style"),
        choices=[("primary", _("Main action")), ("secondary", _("Secondary action"))],
        default="primary",
        search_index=False,  # a layout choice, not words of the page
    )

    class Meta:
        icon = "link"
        label = _("Call-to-action button")
        template = "home/blocks/call_to_action.html"

    def get_context(self, value, parent_context=None):
        """``link_page``: the chosen page when a visitor can open it; a button to a page
        unpublished or of a module removed from the site is not shown."""
        # Imported here: blocks are loaded with the models, before the link handlers can be.
        from ..links import servable_page

        context = super().get_context(value, parent_context=parent_context)
        context["link_page"] = servable_page(value.get("page"))
        return context

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            message = _("Choose either a page of the site or a web address (one of the two).")
            raise StructBlockValidationError(block_errors={"page": ValidationError(message)})
        return value
