"""Model fields shared by the modules."""

from django.db import models


class HttpsURLField(models.URLField):
    """A web address; one typed without scheme ("www.example.fr") is read as https, the
    default of Django 6."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
