"""The languages of a public page's parts (WCAG 3.1.2, language of parts).

The interface speaks the visitor's language (French at the root, English under /en/) and
``<html lang>`` says so; what the editors write (titles, bodies, news, projects…) is in the
site's default language whatever the interface's. ``{% content_lang %}`` marks an element
holding the editors' text, ``{% interface_lang %}`` an element of the interface's own
words inside such an element; each writes ` lang="…"` only when the two languages differ,
so that pages in French carry no redundant attribute.
"""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


def content_language():
    """The language the editors write in (the site has one: WAGTAIL_I18N_ENABLED is off)."""
    return settings.LANGUAGE_CODE


@register.simple_tag
def content_lang():
    """` lang="fr"` when the interface is in another language; nothing otherwise."""
    if _interface_language() == content_language():
        return ""
    return format_html(' lang="{}"', content_language())


@register.simple_tag
def interface_lang():
    """` lang="en"` (the interface's language) when it is not the content's; nothing
    otherwise."""
    interface = _interface_language()
    if interface == content_language():
        return ""
    return format_html(' lang="{}"', interface)


def _interface_language():
    return translation.get_language() or settings.LANGUAGE_CODE
