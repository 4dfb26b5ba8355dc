import json
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt

from mprc_cms import ratelimit
from mprc_cms.security_headers import from_this_site_only


def healthz(request):
    """For the run script and load balancers: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@csrf_exempt
@from_this_site_only
def set_language(request):
    """The footer's language form: Django's ``set_language``, which also moves the page to
    come back to (``next``) into the chosen language, whichever language it is in.

    The form carries no CSRF token, so that every page that shows it can be served from
    the page cache: choosing a language needs no account and changes only a preference
    (decision 16).

    Django moves ``next`` by resolving it in the active language, then reversing it in the
    chosen one. This view's own address has no language prefix, so French is active there:
    an English path (``/en/…``) would then resolve as a French page whose path starts with
    "en/", and come back unchanged. Resolving it in its own language (its prefix, or none
    for French) lets Django drop the prefix or add it, for pages, their routes and the
    modules' URLs alike. An unsafe ``next`` is refused exactly as Django refuses it.
    """
    with translation.override(_language_of(_page_to_come_back_to(request))):
        return i18n.set_language(request)


def _page_to_come_back_to(request):
    """What Django's ``set_language`` redirects to before translating it: ``next`` if it
    stays on this site, else the referrer if it does, else the home page."""
    allowed = {"allowed_hosts": {request.get_host()}, "require_https": request.is_secure()}
    for url in (request.POST.get("next", request.GET.get("next")), request.headers.get("referer")):
        if url and url_has_allowed_host_and_scheme(url, **allowed):
            return url
    return "/"


def _language_of(url):
    """The language of one of the site's URLs: its prefix, or the default language."""
    return translation.get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE


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
