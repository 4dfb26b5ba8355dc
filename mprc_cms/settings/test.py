import atexit
import shutil
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mprc-test-media-"))  # noqa: F405
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
MPRC_IMPORTS_DIR = Path(tempfile.mkdtemp(prefix="mprc-test-imports-"))  # noqa: F405
atexit.register(shutil.rmtree, MPRC_IMPORTS_DIR, ignore_errors=True)
MPRC_PRIVATE_FILES_DIR = Path(tempfile.mkdtemp(prefix="mprc-test-private-"))  # noqa: F405
atexit.register(shutil.rmtree, MPRC_PRIVATE_FILES_DIR, ignore_errors=True)
STORAGES["private"] = {  # noqa: F405
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(MPRC_PRIVATE_FILES_DIR)},
}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# One cache per test process, emptied before each test (tests/conftest.py). The page cache
# is off but in the tests that switch it on (tests/mprc_cms/test_page_cache.py…): the
# other tests count queries and re-read pages after writing with the ORM.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "renditions": CACHES["renditions"],  # noqa: F405
}
MPRC_PAGE_CACHE = False
# Tasks run at once inside the request or command that enqueues them.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The example module lives only in the tests and proves that a module plugs in with
# no edit elsewhere; the example extension is a module without an index page (declared
# only by the tests that use it: tests/example_extension/fixtures.py).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.example_module", "tests.example_extension"]  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
