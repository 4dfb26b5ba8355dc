from wagtail.models import Page


class PollPage(Page):
    """A page of the extension: under a commune, or under the network home (shared by
    several communes)."""

    parent_page_types = ["home.CommunePage", "home.NetworkHomePage"]
    subpage_types = []
    template = "example_extension/poll_page.html"
