"""Uploaded files kept between the preview and the confirmation of an import.

Each file is saved under an unguessable token in the storage "imports" of ``STORAGES``
(never the public media), with a small JSON record of who uploaded it, for which model and
commune. Only its uploader may read it, for ``MPRC_IMPORTS_MAX_AGE`` seconds (one hour by
default); expired files are removed whenever a new file is stored.

The storage is by default the private folder ``MPRC_IMPORTS_DIR`` (ImportsFolderStorage;
default: ``mprc-imports`` in the system's temporary folder). With several servers behind a
load balancer the confirmation may reach another server than the preview: the storage is
then a shared one (an S3 bucket through django-storages, ``MPRC_IMPORTS_STORAGE``;
docs/deployment.md). On a disk, a confirmation takes the file by an atomic rename; in any
other storage, by an atomic ``cache.add`` in the shared cache (Redis).
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
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
STORAGE = "imports"  # the alias in STORAGES
CLAIM_KEY_PREFIX = "mprc-import-claim:"


def _now():
    return time.time()


class ImportsFolderStorage(FileSystemStorage):
    """The default storage "imports": the folder ``MPRC_IMPORTS_DIR`` (read at each use),
    its files and folders readable by the server's own user only."""

    def __init__(self, location=None, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)

    @property
    def base_location(self):
        if self._location:
            return str(self._location)
        folder = getattr(settings, "MPRC_IMPORTS_DIR", None)
        return str(folder or Path(tempfile.gettempdir()) / "mprc-imports")

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def storage():
    return storages[STORAGE]


def _local_path(name):
    """The file's path when the storage is a folder on this server's disk, else None."""
    files = storage()
    return files.path(name) if isinstance(files, FileSystemStorage) else None


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
    def data_name(self):
        return f"{self.token}.upload"

    @property
    def meta_name(self):
        return f"{self.token}.json"

    @property
    def claim_name(self):
        return f"{self.token}.importing"

    @property
    def claim_key(self):
        return CLAIM_KEY_PREFIX + self.token

    def read(self):
        with storage().open(self.data_name, "rb") as file:
            return file.read()

    def claim(self):
        """Take the file for the real import, so that a second confirmation finds nothing.

        Returns the bytes, or None when another request took it first.
        """
        data_path = _local_path(self.data_name)
        if data_path is not None:
            claim_path = _local_path(self.claim_name)
            try:
                os.replace(data_path, claim_path)
            except FileNotFoundError:
                return None
            return Path(claim_path).read_bytes()
        if not cache.add(self.claim_key, True, timeout=max_age()):
            return None
        try:
            return self.read()
        except OSError:
            cache.delete(self.claim_key)
            return None

    def release(self):
        """Give the file back after a failed import: the preview can show it again."""
        data_path = _local_path(self.data_name)
        if data_path is None:
            cache.delete(self.claim_key)
            return
        with contextlib.suppress(FileNotFoundError):
            os.replace(_local_path(self.claim_name), data_path)

    def remove(self):
        files = storage()
        for name in (self.data_name, self.claim_name, self.meta_name):
            with contextlib.suppress(FileNotFoundError):
                files.delete(name)
        cache.delete(self.claim_key)


def _write_private(name, data):
    storage().save(name, ContentFile(data))


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
    _write_private(stored.data_name, data)
    _write_private(stored.meta_name, json.dumps(asdict(stored)).encode())
    return stored


def load(token, *, user, model):
    """The stored import of ``token`` if it is ``user``'s, for ``model``, and not expired."""
    if not token or not TOKEN_PATTERN.match(token):
        return None
    try:
        with storage().open(f"{token}.json", "rb") as file:
            stored = StoredImport(**json.loads(file.read()))
    except (OSError, ValueError, TypeError):
        return None
    if stored.token != token:
        return None
    if _now() - stored.created > max_age():
        stored.remove()
        return None
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    if stored.user_id != user.pk or stored.model != label:
        return None
    if not storage().exists(stored.data_name):
        return None
    return stored


def purge_expired():
    files = storage()
    limit = _now() - max_age()
    try:
        _folders, names = files.listdir("")
    except (FileNotFoundError, NotImplementedError):
        return
    for name in names:
        try:
            if files.get_modified_time(name).timestamp() < limit:
                files.delete(name)
        except (OSError, NotImplementedError):
            continue
