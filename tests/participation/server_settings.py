"""Settings for the server the concurrency test starts: the dev settings, production-like.

DEBUG is off (errors are answered with the site's 500 page and logged to stderr, as in
production). The database is the one DATABASE_URL names, as in every settings module; the
test points it at a fresh SQLite file or a fresh PostgreSQL database of its own.
"""

import os

from mprc_cms.settings.dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# No collectstatic: WhiteNoise serves the static files straight from the finders.
WHITENOISE_USE_FINDERS = True
# No background-task worker runs beside this server: tasks (e-mails, search index updates)
# run at once inside the request that enqueues them, as in the test settings.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# E-mails are written as files to a directory the test gives (and reads), else kept in memory.
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The sign-up form allows 30 sign-ups an hour from one IP address and 5 e-mails an hour to
# one address: a product feature against robots filling the list (mprc_cms/ratelimit.py).
# Every request of the test comes from 127.0.0.1, and one burst repeats one address on
# purpose, so both limits are raised far above what the test sends: the test is about
# simultaneous writes, not about the limits.
MPRC_RATE_LIMITS = {
    "participation.signup.ip": (100_000, 3600),
    "participation.email": (100_000, 3600),
}
