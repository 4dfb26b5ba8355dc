"""Settings for the server the browser tests drive: the dev settings, but with DEBUG off.

With DEBUG on, Django answers a missing page with its technical 404 page instead of the
site's own 404 template, which the accessibility checks must see. WhiteNoise serves the
static files straight from the finders, so no collectstatic is needed.
"""

from mprc_cms.settings.dev import *  # noqa: F403

DEBUG = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ROOT_URLCONF = "tests.browser.server_urls"
# No background-task worker runs beside this server: tasks (search index updates, e-mails)
# run at once inside the request or command that enqueues them, as in the test settings.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
