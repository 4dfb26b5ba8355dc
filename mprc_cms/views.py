from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers


def healthz(request):
    """For the run script and load balancers: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def private(response):
    """A page reached by a personal link: never cached, never indexed, no referrer."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Not "no-referrer": browsers then send "Origin: null" with the page's own forms,
    # which the CSRF check refuses. "same-origin" keeps the link from other sites.
    response["Referrer-Policy"] = "same-origin"
    return response
