"""Sections that other modules add to a project page, without the catalogue knowing them.

A module registers a Wagtail hook ``project_page_sections``: a function of ``(page,
request)`` returning a list of :class:`ProjectPageSection` (or None). The project page
shows them after its budget and before its news, by ``order`` then ``key``: each one a
``<section>`` whose ``<h2>`` (the heading, in the interface's language) carries the id
``<key>-heading``, followed by the module's template, rendered with the page's context
plus ``section``. See docs/project-catalogue.md, *Sections added by other modules*.
"""

from dataclasses import dataclass, field
from typing import Any

from wagtail import hooks

HOOK_NAME = "project_page_sections"


@dataclass(frozen=True)
class ProjectPageSection:
    key: str  # unique on the page; its heading's id is "<key>-heading"
    heading: str  # the <h2>, in the interface's language (a lazy translation)
    template_name: str  # the section's content, below its heading
    context: dict[str, Any] = field(default_factory=dict)  # read as section.context
    order: int = 100  # lower first, among the modules' sections
    stylesheets: tuple[str, ...] = ()  # static paths, linked in the page's <head>

    @property
    def heading_id(self):
        return f"{self.key}-heading"


def project_page_sections(page, request):
    """The sections every module adds to ``page``, in the order they are shown."""
    sections = []
    for provide in hooks.get_hooks(HOOK_NAME):
        sections.extend(provide(page, request) or ())
    return sorted(sections, key=lambda section: (section.order, section.key))


def section_stylesheets(sections):
    """The stylesheets the sections ask for, each once, in the sections' order."""
    return list(dict.fromkeys(path for section in sections for path in section.stylesheets))
