"""French grammar in templates (see ``mprc_cms.french``).

``{% contract commune.title %}…{% endcontract %}`` around a ``blocktranslate`` that puts
a place name into a message: in French, «de» and «à» before that name come out as French
writes them («Mairie d’Aubigny», «Échanges de services du Bourg»); other languages are
left alone. Wrap the one message, not a whole template, so that nothing else is touched.
Several names may be given; ``person=True`` for people's names (elision only).

``{{ name|de }}`` and ``{{ name|a }}`` write the preposition before a place name, for
French text written in a template.
"""

from django import template
from django.template.base import token_kwargs
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from mprc_cms import french

register = template.Library()


class ContractNode(template.Node):
    def __init__(self, nodelist, names, person):
        self.nodelist = nodelist
        self.names = names
        self.person = person

    def render(self, context):
        text = self.nodelist.render(context)
        names = [str(name.resolve(context)) for name in self.names]
        person = bool(self.person.resolve(context)) if self.person else False
        if context.autoescape:
            # The names appear escaped in the rendered HTML («L&#x27;Isle»).
            names += [str(conditional_escape(name)) for name in names]
        contracted = french.contract(text, *names, person=person)
        if isinstance(text, SafeString):
            return mark_safe(contracted)  # noqa: S308 - only prepositions changed
        return contracted


@register.tag
def contract(parser, token):
    """``{% contract name [name…] [person=True] %}…{% endcontract %}``."""
    bits = token.split_contents()[1:]
    kwargs = token_kwargs([bit for bit in bits if "=" in bit], parser)
    unknown = set(kwargs) - {"person"}
    if unknown:
        raise template.TemplateSyntaxError(f"contract: unknown argument {sorted(unknown)}")
    names = [parser.compile_filter(bit) for bit in bits if "=" not in bit]
    if not names:
        raise template.TemplateSyntaxError("contract takes at least one name")
    nodelist = parser.parse(("endcontract",))
    parser.delete_first_token()
    return ContractNode(nodelist, names, kwargs.get("person"))


@register.filter(name="de", is_safe=True)
def de_filter(name):
    """«d’Aubigny», «du Bourg», «des Granges», «de La Chapelle»."""
    return french.de(name)


@register.filter(name="a", is_safe=True)
def a_filter(name):
    """«à Aubigny», «au Bourg», «aux Granges», «à La Chapelle»."""
    return french.a(name)
