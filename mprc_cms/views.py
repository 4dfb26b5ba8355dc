import json

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from mprc_cms import ratelimit


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


def json_download(data, filename, *, keep_private=False):
    """``data`` as a JSON file to download (UTF-8, readable); ``keep_private`` for personal
    or staff-only content, which no cache keeps."""
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response) if keep_private else response


def email_request(request, form_class, limits, send, render):
    """A public form with one e-mail address that sends something to it (a lost link, a
    subscription to confirm). ``limits`` names the rate-limit scopes of the connection and
    of the address; ``send(email)`` runs within them; ``render(context, status)`` answers.
    The answer is the same whether or not the address is known, so that nothing tells a
    stranger who signed up, posted or subscribed."""
    sent, status = False, 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_spam():
            sent = True
        elif form.is_valid():
            email = form.cleaned_data["email"]
            ip_scope, email_scope = limits
            if ratelimit.hit(ip_scope, ratelimit.client_ip(request)) and ratelimit.hit(
                email_scope, email
            ):
                send(email)
                sent = True
            else:
                form.add_error(None, ratelimit.refusal_message())
                status = 429
    else:
        form = form_class()
    return render({"form": form, "sent": sent}, status)
