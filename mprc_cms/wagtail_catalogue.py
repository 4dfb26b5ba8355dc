"""Wagtail's own messages that the project's French catalogue translates again.

Django reads the project's catalogue (``LOCALE_PATHS``) before the apps' ones, so a msgid
of Wagtail's translated in ``locale/fr`` replaces Wagtail's French. Wagtail's French writes
these with «(e)» («Déverrouillé(e)», «Ce(tte) page», «Référencé(e)») because they may be
about any model; on this site they are about pages only (pages are the only records that
are locked, and only the page editor counts references this way), and «page» is feminine:
«Déverrouillée», «Cette page», «Référencée».

Nothing imports this module: it lists the msgids so that ``makemessages`` keeps them in the
project's catalogue.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

PAGE_EDITOR_MESSAGES = (
    # The status side panel and the pages' history.
    gettext_noop("Unlocked"),
    gettext_noop("Locked by you"),
    gettext_noop("Locked by another user"),
    gettext_noop("Anyone can edit this %(model_name)s"),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    ngettext_lazy("Referenced %(count)s time", "Referenced %(count)s times", "count"),
    # The locked pages report.
    gettext_noop("Locked by <b>you</b> at <b>%(locking_date)s</b>"),
    gettext_noop("Locked by <b>%(locked_by)s</b> at <b>%(locking_date)s</b>"),
    gettext_noop("Locked at <b>%(locking_date)s</b>"),
)
