"""Wagtail's cache of image renditions, without a write for every picture shown.

Wagtail finds a rendition among the image's prefetched renditions, else in its
``renditions`` cache, else in the database, and then writes it to that cache again on every
``get_rendition``: five pictures on a page were five writes of a pickled rendition (with
the file-based cache, five files rewritten and the cache directory listed each time), a
third of an uncached page's time.

This backend stands for the shared cache (``LOCATION``: its alias, ``default``): reads and
deletes go straight to it, and a write is skipped when this process wrote the same
rendition (same key, same row, same file) in the last minutes. A skipped write can only
make a later read miss and fall back to the database, never return another rendition: the
key names the image, its file's hash, the focal point and the filter, and the value
written again would have been the same row pointing to the same file.
"""

import time
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

# How long a write is remembered, and how many: a rendition rewritten after this is
# harmless (a write), one forgotten early too.
REMEMBERED_SECONDS = 300
REMEMBERED_WRITES = 4096


def _fingerprint(value):
    file = getattr(value, "file", None)
    return (type(value), getattr(value, "pk", None), getattr(file, "name", None))


class RenditionsCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        self._alias = location or "default"
        self._written = OrderedDict()  # full key -> (fingerprint, written at)

    @property
    def _shared(self):
        return caches[self._alias]

    def _remembered(self, key, value, version):
        entry = self._written.get((key, version))
        if entry is None:
            return False
        fingerprint, written_at = entry
        if time.monotonic() - written_at > REMEMBERED_SECONDS:
            del self._written[(key, version)]
            return False
        return fingerprint == _fingerprint(value)

    def _remember(self, key, value, version):
        self._written[(key, version)] = (_fingerprint(value), time.monotonic())
        self._written.move_to_end((key, version))
        while len(self._written) > REMEMBERED_WRITES:
            self._written.popitem(last=False)

    def _forget(self, key, version):
        self._written.pop((key, version), None)

    # Reads: the shared cache's.
    def get(self, key, default=None, version=None):
        return self._shared.get(key, default, version=version)

    def get_many(self, keys, version=None):
        return self._shared.get_many(keys, version=version)

    def has_key(self, key, version=None):
        return self._shared.has_key(key, version=version)

    # Writes: skipped when this process made the same one lately.
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._remembered(key, value, version):
            return
        self._shared.set(key, value, timeout=timeout, version=version)
        self._remember(key, value, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        new = {
            key: value for key, value in data.items() if not self._remembered(key, value, version)
        }
        if not new:
            return []
        failed = self._shared.set_many(new, timeout=timeout, version=version)
        for key, value in new.items():
            if key not in failed:
                self._remember(key, value, version)
        return failed

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._forget(key, version)
        return self._shared.add(key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._shared.touch(key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        self._forget(key, version)
        return self._shared.delete(key, version=version)

    def delete_many(self, keys, version=None):
        for key in keys:
            self._forget(key, version)
        return self._shared.delete_many(keys, version=version)

    def clear(self):
        """Forgets this process's writes and clears the shared cache (as ``default``'s
        clear() would)."""
        self._written.clear()
        return self._shared.clear()

    def forget(self):
        """Forgets this process's writes only (tests)."""
        self._written.clear()
