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

LOCALE_DIR = Path(__file__).resolve().parent.parent.parent / "locale"

_translations: dict[str, _gettext.NullTranslations] = {}


def _django_ready() -> bool:
    if "django.conf" not in sys.modules:
        return False
    try:
        from django.conf import settings

        return bool(settings.configured)
    except Exception:  # pragma: no cover - defensive
        return False


def gettext(message: str) -> str:
    """Translate ``message`` (an English source string)."""
    if _django_ready():
        from django.utils.translation import gettext as django_gettext

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
