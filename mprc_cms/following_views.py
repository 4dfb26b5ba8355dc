"""The public views of following pages by e-mail (``mprc_cms.following``), served under
``/suivre/`` in every language: the follow form, the confirmation link and the one-click
links to stop. No account needed; the signed token in a link is what authorises it."""

from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Page

from . import following, ratelimit
from .following_forms import FollowForm
from .models import Follower
from .security_headers import from_this_site_only
from .views import private

app_name = "following"

TEMPLATES = "mprc_cms/following"


def _only(request, *methods):
    return None if request.method in methods else HttpResponseNotAllowed(methods)


def _render(request, page, template, context=None, status=200):
    context = {"page": page, "self": page, **(context or {})}
    return TemplateResponse(request, f"{TEMPLATES}/{template}", context, status=status)


def _followable_page(page_id):
    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if page is None or not following.is_followable(page):
        raise Http404
    return page


@csrf_exempt
@from_this_site_only
def follow(request, page_id):
    """The form to follow a page (also shown on the page itself, posting here).

    CSRF-exempt, its forms without token, so that every followable page can be served
    from the page cache (decision 16): CSRF protection adds nothing here. The form needs
    no account and no session, it is rate-limited, and it only sends a confirmation
    e-mail (double opt-in): a forged post can do no more than the forger could by
    filling the form themself."""
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    page = _followable_page(page_id)
    sent, status = False, 200
    if request.method == "POST":
        form = FollowForm(request.POST, auto_id="id_follow_%s")
        if form.is_spam():
            sent = True
        elif form.is_valid():
            email = form.cleaned_data["email"]
            if ratelimit.hit("following.follow.ip", ratelimit.client_ip(request)) and ratelimit.hit(
                "following.follow.email", email
            ):
                following.follow(request, page, email, form.cleaned_data["frequency"])
                sent = True
            else:
                form.add_error(None, ratelimit.refusal_message())
                status = 429
        else:
            status = 400
    else:
        form = FollowForm(auto_id="id_follow_%s")
    context = {"form": form, "sent": sent, "page_url": page.get_url(request)}
    return private(_render(request, page, "follow.html", context, status))


def _invalid(request):
    return private(TemplateResponse(request, f"{TEMPLATES}/link_invalid.html", {}, status=404))


def confirm(request, token):
    """The link of the confirmation e-mail. A GET shows one button (mail scanners open
    links); a POST confirms."""
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    follower = following.follower_to_confirm(token)
    if follower is None:
        return _invalid(request)
    page = follower.page.specific
    confirmed = follower.confirmed_at is not None
    also = []
    if request.method == "POST" and not confirmed:
        if not following.is_followable(page):
            return _invalid(request)
        also = following.confirm(follower)
        confirmed = True
    context = {
        "follower": follower,
        "confirmed": confirmed,
        "also_followed": also,
        "token": token,
        "page_url": page.get_url(request),
        "stop_url": request.build_absolute_uri(
            reverse("following:stop", args=[following.stop_token(follower)])
        ),
    }
    return private(_render(request, page, "confirm.html", context))


def _stop(request, token, salt, everything):
    if refused := _only(request, "GET", "HEAD", "POST"):
        return refused
    follower = following.follower_to_stop(token, salt)
    if follower is None:
        return private(
            TemplateResponse(request, f"{TEMPLATES}/stopped.html", {"gone": True}, status=404)
        )
    page = follower.page.specific
    context = {"everything": everything, "follower": follower}
    if request.method == "POST":
        if everything:
            following.forget(follower.email)
        else:
            Follower.objects.filter(pk=follower.pk).delete()
        return private(_render(request, page, "stopped.html", context))
    return private(_render(request, page, "stop.html", context))


@csrf_exempt
def stop(request, token):
    """The link in every e-mail about one page. A GET shows one button; a POST stops: the
    button, or the mail client's own one-click button (RFC 8058), which sends no CSRF
    token — the signed token in the address is what authorises it."""
    return _stop(request, token, following.STOP_SALT, everything=False)


@csrf_exempt
def stop_all(request, token):
    """The «stop everything» link of a digest: every page the address follows."""
    return _stop(request, token, following.STOP_ALL_SALT, everything=True)


urlpatterns = [
    path("<int:page_id>/", follow, name="follow"),
    path("confirmer/<str:token>/", confirm, name="confirm"),
    path("arreter/<str:token>/", stop, name="stop"),
    path("arreter-tout/<str:token>/", stop_all, name="stop_all"),
]
