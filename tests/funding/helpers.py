"""Reading a project page's funding sections, which the funding module adds through the
catalogue's hook ``project_page_sections``."""


def funding_sections(response):
    """The funding sections of a project page's response, by key ("funding-obtained",
    "funding-possible"); each one's ``context`` is ``project_funding``'s."""
    return {
        section.key: section
        for section in response.context["module_sections"]
        if section.key.startswith("funding-")
    }


def funding_context(response, key):
    return funding_sections(response)[key].context
