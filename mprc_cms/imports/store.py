"""Uploaded files kept between the preview and the confirmation of an import.

Each file is saved under an unguessable token in a private folder (never under
MEDIA_ROOT, which may be served), with a small JSON record of who uploaded it, for which
model and commune. Only its uploader may read it, for ``MPRC_IMPORTS_MAX_AGE`` seconds
(one hour by default); expired files are removed whenever a new file is stored.

Settings (optional): ``MPRC_IMPORTS_DIR`` (default: ``mprc-imports`` in the system's
temporary folder) and ``MPRC_IMPORTS_MAX_AGE``.
"""

import contextlib
import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _now():
    return time.time()


def storage_dir():
    directory = Path(
        getattr(settings, "MPRC_IMPORTS_DIR", None) or Path(tempfile.gettempdir()) / "mprc-imports"
    )
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def max_age():
    return int(getattr(settings, "MPRC_IMPORTS_MAX_AGE", 3600))


@dataclass
class StoredImport:
    token: str
    user_id: int
    model: str  # "app_label.model_name"
    commune_id: int | None
    file_name: str
    encoding: str
    created: float
    options: dict | None = None  # the choices of ImportOptions, if any

    @property
    def data_path(self):
        return storage_dir() / f"{self.token}.upload"

    @property
    def meta_path(self):
        return storage_dir() / f"{self.token}.json"

    @property
    def claim_path(self):
        return storage_dir() / f"{self.token}.importing"

    def read(self):
        return self.data_path.read_bytes()

    def claim(self):
        """Take the file for the real import, so that a second confirmation finds nothing.

        Returns the bytes, or None when another request took it first.
        """
        try:
            os.replace(self.data_path, self.claim_path)
        except FileNotFoundError:
            return None
        return self.claim_path.read_bytes()

    def release(self):
        """Give the file back after a failed import: the preview can show it again."""
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.claim_path, self.data_path)

    def remove(self):
        for path in (self.data_path, self.claim_path, self.meta_path):
            path.unlink(missing_ok=True)


def _write_private(path, data):
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


def save(data, *, user, model, commune, file_name, encoding, options=None):
    purge_expired()
    stored = StoredImport(
        token=secrets.token_urlsafe(32),
        user_id=user.pk,
        model=f"{model._meta.app_label}.{model._meta.model_name}",
        commune_id=commune.pk if commune is not None else None,
        file_name=os.path.basename(file_name or "")[:200],
        encoding=encoding,
        created=_now(),
        options=options or None,
    )
    _write_private(stored.data_path, data)
    _write_private(stored.meta_path, json.dumps(asdict(stored)).encode())
    return stored


def load(token, *, user, model):
    """The stored import of ``token`` if it is ``user``'s, for ``model``, and not expired."""
    if not token or not TOKEN_PATTERN.match(token):
        return None
    meta_path = storage_dir() / f"{token}.json"
    try:
        stored = StoredImport(**json.loads(meta_path.read_text()))
    except (OSError, ValueError, TypeError):
        return None
    if _now() - stored.created > max_age():
        stored.remove()
        return None
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    if stored.user_id != user.pk or stored.model != label:
        return None
    if not stored.data_path.exists():
        return None
    return stored


def purge_expired():
    limit = _now() - max_age()
    directory = storage_dir()
    for path in directory.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue
