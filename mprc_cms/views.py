from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """For the run script and load balancers: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
