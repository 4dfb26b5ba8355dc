"""Translation helper usable with or without Django.

When Django is already imported and its settings are configured, messages go through
``django.utils.translation.gettext`` (so the CMS language applies). Otherwise (the command
line, the benchmarks) the compiled catalogue in ``<repo>/locale`` is read with the standard
library, in the language given by ``MPRC_LANGUAGE`` (default French).
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_translations: dict[str, _gettext.NullTranslations] = {}


def _django_gettext():
    """Django's ``gettext`` when Django runs in this process with its settings configured
    (the CMS), else None. Looked up in ``sys.modules``: the engine never imports Django
    itself (an import contract in pyproject.toml checks it)."""
    conf = sys.modules.get("django.conf")
    translation = sys.modules.get("django.utils.translation")
    if conf is None or translation is None:
        return None
    try:
        configured = bool(conf.settings.configured)
    except Exception:  # pragma: no cover - defensive
        return None
    return translation.gettext if configured else None


def gettext(message: str) -> str:
    """Translate ``message`` (an English source string)."""
    django_gettext = _django_gettext()
    if django_gettext is not None:
        return django_gettext(message)
    language = os.environ.get("MPRC_LANGUAGE", "fr")
    translation = _translations.get(language)
    if translation is None:
        translation = _gettext.translation(
            "django", localedir=str(LOCALE_DIR), languages=[language], fallback=True
        )
        _translations[language] = translation
    return translation.gettext(message)


_ = gettext

__all__ = ["_", "gettext"]
