"""``{% fragment %}``: a part of a page (a card, a filter form) rendered once and kept
for anonymous visitors until the data it shows changes (:func:`mprc_cms.page_cache.fragment`).

::

    {% load fragments %}
    {% fragment "project-card" level show_commune of=project %}
        …the card…
    {% endfragment %}

The first argument names the fragment; the next ones are what else its HTML depends on
(a model instance stands for its pk). ``of=`` names the page or record the fragment
shows: it is part of the key, and the fragment is rendered again when the data of its
commune (:func:`~mprc_cms.page_cache.communes_of`) or of the network changes; when its
commune is not known, or without ``of=``, after any change in the network. When ``of=``
names nothing (a screen without a ``page``: an error, a confirmation), the fragment is
rendered and not kept. A list can leave what only its cards show to be read on a miss
(``page_cache.load_on_miss``).
"""

from django import template
from django.utils.safestring import mark_safe

from mprc_cms import page_cache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, of):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary
        self.of = of

    def render(self, context):
        vary = [value.resolve(context) for value in self.vary]
        communes = obj = None
        if self.of is not None:
            obj = self.of.resolve(context)
            if getattr(obj, "pk", None) is None:
                # Nothing to show (an error page has no page): rendered, never kept.
                return self.nodelist.render(context)
            vary.append(f"{obj._meta.label_lower}:{obj.pk}")
            communes = page_cache.communes_of(obj)

        def render():
            page_cache.before_fragment(obj)
            return self.nodelist.render(context)

        html = page_cache.fragment(
            context.get("request"), self.name.resolve(context), vary, render, communes=communes
        )
        # The output of the template's own nodes, escaped as they render it.
        return mark_safe(html)  # noqa: S308


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    of = None
    vary = []
    for bit in bits[2:]:
        if bit.startswith("of="):
            of = parser.compile_filter(bit.removeprefix("of="))
        else:
            vary.append(parser.compile_filter(bit))
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), vary, of)
