"""Signing in to the admin: throttling, the lockout page, and throttled password resets.

Failed sign-ins are counted by django-axes, in the database, per account and per client
address (``AXES_LOCKOUT_PARAMETERS``); after ``AXES_FAILURE_LIMIT`` failures within
``AXES_COOLOFF_TIME`` the account, or the address, is refused for that time, even with the
right password. Network coordinators lift a lockout on the admin screen
:class:`LockoutsView` (Settings › Sign-in lockouts), written in the audit log.

The sign-in form is Wagtail's with its password field labelled through gettext (Wagtail's
own declares the field without a label, so Django shows the English field name).

Password reset e-mails are limited with :mod:`mprc_cms.ratelimit`, per e-mail address and
per client address; over a limit the answer is the same as for any request, and nothing is
sent.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.utils import reset as axes_reset
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Sum
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from . import ratelimit
from .communes import is_network_coordinator
from .tasks import sender

RESET_EMAIL_SCOPE = "accounts.password_reset.email"
RESET_IP_SCOPE = "accounts.password_reset.ip"
LOCKOUT_PARAMETERS = ("username", "ip_address")


# --- The sign-in form ---------------------------------------------------------------------


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form, every label in the interface's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")
        self.fields["password"].widget = forms.PasswordInput(
            attrs={**self.fields["password"].widget.attrs, "autocomplete": "current-password"}
        )


# --- Counting failed sign-ins (django-axes) --------------------------------------------


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses every sign-in of a locked-out account or address (first backend).

    ``authenticate()`` called without a request (management commands, the test client's
    ``login``) reaches no login form: it is neither counted nor refused here.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler; a successful sign-in clears only the failures of that
    account from that address.

    The stock handler would clear every failure from the address: anyone with an account
    could then try another account's password without end, signing in to their own
    account between two series of guesses.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        deleted, _details = (
            apps.get_model("axes", "AccessAttempt")
            .objects.filter(username=username, ip_address=request.axes_ip_address)
            .delete()
        )
        return deleted


def client_ip_address(request):
    """The client address axes counts: the one the rate limits use
    (``ratelimit.client_ip``: never a header a client wrote), or None when it is not a
    valid IP address."""
    address = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def cool_off_minutes():
    cool_off = get_cool_off()
    return max(1, round(cool_off.total_seconds() / 60)) if cool_off else None


def lockout_response(request, original_response=None, credentials=None):
    """The page of a refused sign-in, in the style of the admin's login screen (429)."""
    return render(
        request,
        "mprc_cms/accounts/lockout.html",
        {"minutes": cool_off_minutes()},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- Password reset --------------------------------------------------------------------


class PasswordResetView(WagtailPasswordResetView):
    """Wagtail's password reset, with its e-mails limited per e-mail address and per client
    address. Over a limit: the same "check your e-mail" page, and no e-mail. The e-mail
    comes from the network's name, as every other e-mail of the site (``tasks.sender``)."""

    def form_valid(self, form):
        address_allowed = ratelimit.hit(RESET_IP_SCOPE, ratelimit.client_ip(self.request))
        if not address_allowed or not ratelimit.hit(RESET_EMAIL_SCOPE, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        self.from_email = sender()
        return super().form_valid(form)


# --- The coordinators' unlock screen ---------------------------------------------------


def _attempts():
    return apps.get_model("axes", "AccessAttempt").objects


def current_lockouts():
    """Every account and every address locked out now, with its failures, first and last
    failure and when the lockout ends by itself."""
    cool_off = get_cool_off()
    recent = _attempts().all()
    if cool_off:
        recent = recent.filter(attempt_time__gte=timezone.now() - cool_off)
    lockouts = []
    for parameter in LOCKOUT_PARAMETERS:
        other = "ip_address" if parameter == "username" else "username"
        groups = (
            recent.exclude(**{f"{parameter}__isnull": True})
            .values(parameter)
            .annotate(
                failures=Sum("failures_since_start"),
                first=Min("attempt_time"),
                last=Max("attempt_time"),
            )
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        for group in groups:
            value = group[parameter]
            others = sorted(
                {
                    str(item)
                    for item in recent.filter(**{parameter: value}).values_list(other, flat=True)
                    if item
                }
            )
            lockouts.append(
                {
                    "parameter": parameter,
                    "value": value,
                    "others": others,
                    "failures": group["failures"],
                    "since": group["first"],
                    "until": group["last"] + cool_off if cool_off else None,
                }
            )
    return lockouts


def _network_home():
    return apps.get_model("home", "NetworkHomePage").objects.first()


class LockoutsView(WagtailAdminTemplateMixin, TemplateView):
    """Network coordinators: the accounts and addresses locked out, and unlocking them."""

    template_name = "mprc_cms/admin/lockouts.html"
    page_title = gettext_lazy("Sign-in lockouts")
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not is_network_coordinator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Sign-in lockouts")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            lockouts=current_lockouts(),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            minutes=cool_off_minutes(),
        )
        return context

    def post(self, request, *args, **kwargs):
        parameter = request.POST.get("parameter", "")
        value = request.POST.get("value", "").strip()
        if parameter == "ip_address":
            try:
                value = str(ipaddress.ip_address(value))
            except ValueError:
                value = ""
        if parameter not in LOCKOUT_PARAMETERS or not value or len(value) > 255:
            messages.error(request, _("There is nothing to unlock."))
            return redirect("mprc_lockouts")
        failures = (
            _attempts().filter(**{parameter: value}).aggregate(total=Sum("failures_since_start"))
        )["total"] or 0
        deleted = axes_reset(username=value) if parameter == "username" else axes_reset(ip=value)
        if not deleted:
            messages.error(request, _("There is nothing to unlock."))
            return redirect("mprc_lockouts")
        network_home = _network_home()
        if network_home is not None:
            log(
                instance=network_home,
                action="mprc.login_unlocked",
                user=request.user,
                data={parameter: value, "failures": failures},
            )
        if parameter == "username":
            message = _("The account %(value)s may sign in again.")
        else:
            message = _("Sign-ins from the address %(value)s are allowed again.")
        messages.success(request, message % {"value": value})
        return redirect(reverse("mprc_lockouts"))
