"""Buttons on a page in the admin, shown in both places Wagtail offers them."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton


def register_page_buttons(buttons):
    """Register ``buttons(page, user)`` — a generator of ``wagtail.admin.widgets.Button`` —
    for the page's header (editor) and for its "More" menu in the page listing.
    Usable as a decorator."""

    def header_buttons(page, user, view_name=None, next_url=None):
        yield from buttons(page, user)

    def listing_buttons(page, user, next_url=None):
        yield from buttons(page, user)

    hooks.register("register_page_header_buttons", header_buttons)
    hooks.register("register_page_listing_more_buttons", listing_buttons)
    return buttons


class MainActionMixin:
    """For a viewset's IndexView: the record's main screen (run a draw, moderate a post…)
    as the first button of each row, outside the "More" menu. Set ``main_action`` to
    ``(label, url name taking the record's pk, icon name)``."""

    main_action = None

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        label, url_name, icon_name = self.main_action
        button = ListingButton(
            label, url=reverse(url_name, args=[instance.pk]), icon_name=icon_name, priority=1
        )
        return [button, *buttons]
