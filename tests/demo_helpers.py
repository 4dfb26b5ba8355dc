"""Loading the demo network in a test, as ``manage.py load_demo`` does."""

from io import StringIO

from django.core.management import call_command

DEMO_PASSWORD = "mot-de-passe-demo"


def load_demo(**options):
    """Build (or complete) the demo network; returns what the command printed."""
    out = StringIO()
    call_command("load_demo", password=DEMO_PASSWORD, stdout=out, **options)
    return out.getvalue()
