"""Settings of the servers and workers the deployment tests start: the production settings
(every value from the environment, as on a real server) with one difference, static files
served by WhiteNoise straight from the apps' folders, so that no `collectstatic` writes to
the checkout."""

from mprc_cms.settings.production import *  # noqa: F403

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
