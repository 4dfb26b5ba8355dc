"""Buttons on a page in the admin, shown in both places Wagtail offers them."""

from wagtail import hooks


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
