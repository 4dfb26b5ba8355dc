"""The admin dashboard's block per commune: where each of the user's communes stands.

The core knows no module: each installed module declares in ``ModuleInfo.dashboard_items``
callables ``items(communes, user, today)`` that return ``{commune pk: [DashboardItem, …]}``
for the communes (among the user's) that run it — the current phase of a micro-parliament,
the posts waiting for moderation, the funding deadlines… Each item says where things stand
and links to the admin screen where staff act on it.

A module's callable is called once for all the communes of the page, so the dashboard costs
the same number of queries whatever the number of communes shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .modules import get_modules, running_modules

# Levels of an item: ``INFO`` says where things stand; ``WARNING`` asks staff to act
# (posts to moderate, an empty seat, a deadline with an application still in preparation).
INFO = "info"
WARNING = "warning"
LEVELS = (INFO, WARNING)


@dataclass(frozen=True)
class DashboardLink:
    """One line under an item: e.g. a funding source and its closing date."""

    text: str | Promise
    url: str = ""
    detail: str | Promise = ""


@dataclass(frozen=True)
class DashboardItem:
    """One line of a commune's block on the dashboard.

    ``label`` names what it is about («Phase du cycle»), ``text`` says where it stands
    («Co-construction, du 1er mars au 30 avril 2026»), linked to ``url``, the admin screen
    where staff act on it; ``links`` details it (a few posts, sources…). Items are shown by
    ``order``, then in the order of the installed modules.
    """

    label: str | Promise
    text: str | Promise
    url: str = ""
    level: str = INFO
    order: int = 100
    links: tuple[DashboardLink, ...] = ()

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"Unknown dashboard item level: {self.level!r}")

    @property
    def needs_action(self):
        return self.level == WARNING


@dataclass
class CommuneBlock:
    """A commune on the dashboard: the modules it runs (their index page is published) and
    the items they give."""

    commune: object
    modules: list = field(default_factory=list)
    items: list = field(default_factory=list)

    @property
    def needs_action(self):
        return any(item.needs_action for item in self.items)


def commune_blocks(communes, user, today=None, modules=None):
    """A :class:`CommuneBlock` per commune, in the order given.

    Each module switched on in at least one of ``communes`` is asked once, for those
    communes only; the items of a commune that does not run it, or of a commune not in
    ``communes``, are dropped. ``communes`` are the user's: modules narrow their items
    further to what the user's permissions show.
    """
    communes = list(communes)
    today = today or timezone.localdate()
    modules = get_modules() if modules is None else modules
    pages = running_modules(communes, modules)
    blocks = {commune.pk: CommuneBlock(commune) for commune in communes}
    for module in modules:
        running = [commune for commune in communes if module.key in pages[commune.pk]]
        for commune in running:
            blocks[commune.pk].modules.append(module)
        if not running:
            continue
        allowed = {commune.pk for commune in running}
        for path in module.info.dashboard_items:
            contributed = import_string(path)(running, user, today) or {}
            for commune_pk, items in contributed.items():
                if commune_pk in allowed:
                    blocks[commune_pk].items.extend(items)
    for block in blocks.values():
        # sorted() is stable: items of the same order keep the modules' order.
        block.items.sort(key=lambda item: item.order)
    return [blocks[commune.pk] for commune in communes]
