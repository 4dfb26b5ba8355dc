"""The public read-only API (``/api/v1/``): the network's public records as JSON, for
anyone (a regional portal, a journalist, another network), never more than the pages show.

Django REST framework, the stack Wagtail's own API is built on, with drf-spectacular for
the OpenAPI 3 document and django-filter for the filters (docs/decisions/, docs/api.md).

An endpoint is a :class:`PublicViewSet`; most are a :class:`KindViewSet`: the records of
one of the site search's kinds (``mprc_cms.search.SearchKind.records``), which already
says what is public in a scope (a published page below a published index, a module that
is on, a commune that is online, a source that a guide shows): the API lists exactly what
the pages and the search show, the same rule in one place. The core serves the communes;
each module lists its endpoints in ``ModuleInfo.api_endpoints``, so a module that is not
installed adds nothing.

Every address below ``/api/v1/`` (the endpoints, the schema, the documentation, an
unknown address) is anonymous (no session or credentials read, the same answer for
everyone), in French whatever is asked, read only (any method but GET, HEAD and OPTIONS:
a 405 in JSON, CSRF or not), open to other sites (CORS); the endpoints and the schema are
rate-limited per address (the client's, as :mod:`mprc_cms.ratelimit` reads it) for what the page
cache does not answer, and everything is kept by the page cache until any change.
"""

from __future__ import annotations

import re
from functools import wraps

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.urls import include, path, re_path
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django_filters import filters as base_filters
from django_filters import rest_framework as filters
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import (
    pagination,
    permissions,
    renderers,
    routers,
    serializers,
    throttling,
    viewsets,
)
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.response import Response
from wagtail.models import Site

from .modules import get_modules
from .ratelimit import client_ip
from .search import SearchScope

API_PREFIX = "api/v1/"
# The core's endpoints; each module adds those of its ModuleInfo.api_endpoints.
CORE_ENDPOINTS = ("home.rest.CommuneViewSet",)

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# The largest id a database column holds (a larger one is no record, not an error).
MAX_ID = 2**63 - 1
# The only methods any address below the API answers (any other: 405).
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


class CommuneRefSerializer(serializers.Serializer):
    """A commune named by a record: its id (``/api/v1/communes/<id>/``) and its name."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="title")


class _BlankAsNull:
    """A text field that may be empty: ``null``, never an empty string (which breaks the
    document's format, ``uri`` or ``email``, for a client that checks it)."""

    def __init__(self, **options):
        super().__init__(allow_null=True, read_only=True, **options)

    def to_representation(self, value):
        return value or None


class OptionalURLField(_BlankAsNull, serializers.URLField):
    """A web address that may be missing."""


class OptionalEmailField(_BlankAsNull, serializers.EmailField):
    """An institution's e-mail address that may be missing."""


class IdField(forms.IntegerField):
    """A record's id: ASCII digits only. Not Django's ``IntegerField`` reading, which
    accepts ``5.0``, ``1_000`` or a digit of another script; nor a decimal (``5.9``),
    which the database would truncate to another record's id."""

    default_error_messages = {"invalid": _("Give a whole number.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not re.fullmatch(r"[0-9]+", str(value)):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(base_filters.Filter):
    field_class = IdField


def id_filter(**options):
    """A filter on a record's id: a whole number the database can hold, else a 400."""
    return IdFilter(min_value=1, max_value=MAX_ID, **options)


class StrictBooleanField(forms.Field):
    """``true`` or ``false``, exactly (docs/api.md); empty is no filter; anything else is
    an error, never silently ignored (django-filter's reading makes it «no filter»)."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(base_filters.BooleanFilter):
    """The API's only yes/no filter: ``true`` or ``false``, else a 400."""

    field_class = StrictBooleanField


class Pagination(pagination.PageNumberPagination):
    """Pages of 50 (``?page=2``), up to 200 with ``?page_size=``."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # A page number past the end is a 404 with a French message.
    invalid_page_message = _("This page does not exist.")


class Throttle(throttling.AnonRateThrottle):
    """Requests per address that reach the application (the page cache answers the others
    before any view): ``MPRC_API_RATE``, default 600 an hour. Answered with 429."""

    scope = "api"

    def get_rate(self):
        return getattr(settings, "MPRC_API_RATE", "600/hour")

    def get_ident(self, request):
        # The project's one rule (mprc_cms.ratelimit.client_ip: REMOTE_ADDR, or what the
        # trusted proxies forwarded); never DRF's, which believes any X-Forwarded-For.
        return client_ip(request)

    def get_cache_key(self, request, view):
        # Every request is anonymous here (no authentication), signed-in users included.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _error(description, schema):
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# Every answer that is not a 200, with its body: a wrong parameter (each one's messages),
# a record that is not public or a page past the end, too many requests.
ERROR_RESPONSES = {
    "400": _error(
        "Wrong parameters: for each, what is wrong.",
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    ),
    "404": _error("Not public, or no such record, commune or page.", DETAIL),
    "429": _error("Too many requests from this address: try again later.", DETAIL),
}


class PublicApiSchema(AutoSchema):
    """drf-spectacular's schema of an endpoint, with its error answers."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction == "response":
            for code, response in ERROR_RESPONSES.items():
                responses.setdefault(code, response)
        return responses


def open_to_other_sites(response):
    """CORS: any site may read the answer from a browser."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
    return response


class PublicApiView:
    """What every Django REST framework view below ``/api/v1/`` is (an endpoint, the
    schema): anonymous, French, read only, rate-limited, CORS open, kept by the page
    cache."""

    # No credentials are read, neither a session nor an Authorization header (no password
    # checked, no sign-in failure counted): the same answer for everyone.
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [Throttle]
    http_method_names = [method.lower() for method in ALLOWED_METHODS]

    def initialize_request(self, request, *args, **kwargs):
        # The page cache stores the answer for anonymous visitors (until any change).
        request.page_cache_view = True
        return super().initialize_request(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        # French whatever the browser asks: one answer per address for the cache.
        with translation.override(settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return open_to_other_sites(response)


class PublicViewSet(PublicApiView, viewsets.ReadOnlyModelViewSet):
    """A read-only public endpoint (:class:`PublicApiView`), in JSON. Subclasses set
    ``api_prefix`` (its address below ``/api/v1/``), ``queryset`` or ``get_queryset``,
    ``serializer_class`` and ``filterset_class``."""

    api_prefix = ""
    # An id in the address: digits that fit the database's column, else a 404.
    lookup_value_regex = r"[0-9]{1,18}"
    schema = PublicApiSchema()
    renderer_classes = [renderers.JSONRenderer]
    pagination_class = Pagination
    filter_backends = [filters.DjangoFilterBackend]

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            # Not Django's message, which names the model and is not translated.
            raise NotFound(_("This record does not exist or is not public.")) from None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": self.today}

    @property
    def today(self):
        return timezone.localdate()


def site_root(request):
    """The root page of the site asked for (its communes, its network's records)."""
    site = Site.find_for_request(request)
    return site.root_page.specific if site is not None else None


SCOPE_PARAMETERS = [
    OpenApiParameter(
        "commune",
        int,
        description=_(
            "A commune's id: the records that commune's pages show (its own, and the "
            "network's it sees); without it, the network's."
        ),
    ),
    OpenApiParameter(
        "q",
        str,
        description=_(
            "Words to search for, as the site search does: every word, accents and case "
            "ignored, best title matches first."
        ),
    ),
]


@extend_schema_view(
    list=extend_schema(parameters=SCOPE_PARAMETERS),
    retrieve=extend_schema(parameters=SCOPE_PARAMETERS[:1]),
)
class KindViewSet(PublicViewSet):
    """The records of a kind of the site search (``search_kind``, its dotted path): in
    the network's scope, or in one commune's with ``?commune=<id>``; ``?q=`` searches them
    as the site search does (every word, accents ignored, best title matches first)."""

    search_kind = ""
    # Whether ``?q=`` searches the records (their kind has folded text); without it, the
    # subclass documents no ``q`` and it is ignored.
    searchable = True

    def scope(self):
        from home.models import CommunePage

        root = site_root(self.request)
        commune = None
        value = self.request.query_params.get("commune")
        if value not in (None, ""):
            try:
                pk = int(value)
            except ValueError:
                pk = None
            if pk is None or not 0 < pk <= MAX_ID:
                raise NotFound(_("This commune does not exist."))
            commune = (
                CommunePage.objects.live()
                .public()
                .filter(pk=pk)
                .only("title", "path", "url_path", "insee_code")
                .first()
            )
            if commune is None or (root is not None and not commune.is_descendant_of(root)):
                raise NotFound(_("This commune does not exist."))
        elif root is not None and root.specific_class.__name__ == "CommunePage":
            commune = root  # a commune's own site: its records
        return SearchScope(commune=commune, root=root, today=self.today)

    def get_kind(self):
        kind = getattr(self, "_kind", None)
        if kind is None:
            kind = self._kind = import_string(self.search_kind)(self.scope())
        return kind

    def get_queryset(self):
        kind = self.get_kind()
        query = self.request.query_params.get("q", "").strip() if self.searchable else ""
        records = kind.find(query) if query else kind.records()
        if records is None:  # the module is off there, or its page is not published
            return self.queryset.none()
        return self.prepare(records if query else records.order_by(*kind.order_by))

    def prepare(self, records):
        """``records`` with what the serializer reads, in a fixed number of queries."""
        return records

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "kind": self.get_kind()}


def endpoint_classes():
    """Every endpoint: the core's, then each installed module's, in INSTALLED_APPS order."""
    paths = [*CORE_ENDPOINTS]
    for module in get_modules():
        paths.extend(module.info.api_endpoints)
    return [import_string(path) for path in paths]


class Router(routers.DefaultRouter):
    """The endpoints, and their list at ``/api/v1/`` (the API's root, with the schema's
    and the documentation's addresses)."""

    include_format_suffixes = False

    def get_api_root_view(self, api_urls=None):
        names = {prefix: basename for prefix, _viewset, basename in self.registry}

        class Root(PublicViewSet):
            def list(self, request):
                base = request.build_absolute_uri("/" + API_PREFIX)
                return Response(
                    {
                        "endpoints": {prefix: f"{base}{prefix}/" for prefix in names},
                        "schema": f"{base}schema/",
                        "documentation": f"{base}documentation/",
                        "licence": "Licence Ouverte / Open Licence 2.0",
                    }
                )

        Root.__name__ = "ApiRoot"
        return extend_schema(exclude=True)(Root).as_view({"get": "list"})


def get_router():
    router = Router()
    for viewset in endpoint_classes():
        router.register(viewset.api_prefix, viewset, basename=f"api-{viewset.api_prefix}")
    return router


class SchemaView(PublicApiView, SpectacularJSONAPIView):
    """The OpenAPI document: ``application/json`` unless asked for
    ``application/vnd.oai.openapi+json``. No parameter changes it: drf-spectacular's
    ``?lang=`` (French whatever is asked) and ``?version=`` (which it writes in the file's
    name, a header) are not read."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]  # application/json first

    def get(self, request, *args, **kwargs):
        generator = self.generator_class(patterns=self.patterns)
        return Response(
            generator.get_schema(request=request, public=self.serve_public),
            headers={"Content-Disposition": 'inline; filename="mprc-cms-api-v1.json"'},
        )


def public_api_page(view):
    """A view below ``/api/v1/`` that is not Django REST framework's (the documentation
    page, an unknown address), with its promises: French, GET, HEAD and OPTIONS only (any
    other method: a 405 in JSON, as the endpoints give it, CSRF or not), CORS open, kept
    by the page cache. It reads no credentials."""
    from .page_cache_middleware import cacheable

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            if request.method in ALLOWED_METHODS:
                response = view(request, *args, **kwargs)
            else:
                refused = MethodNotAllowed(request.method)
                response = JsonResponse({"detail": str(refused.detail)}, status=refused.status_code)
                response["Allow"] = ", ".join(ALLOWED_METHODS)
        return open_to_other_sites(response)

    return csrf_exempt(cacheable(wrapped))


def get_urlpatterns():
    """``/api/v1/`` and below: the endpoints, the OpenAPI document, its documentation."""
    from . import rest_documentation

    endpoints = [path(API_PREFIX, include(get_router().urls))]
    return [
        *endpoints,
        path(f"{API_PREFIX}schema/", SchemaView.as_view(patterns=endpoints), name="api-schema"),
        path(
            f"{API_PREFIX}documentation/",
            public_api_page(rest_documentation.documentation),
            name="api-documentation",
        ),
        # Any other address below the API: a 404 in JSON, not the site's page.
        re_path(rf"^{API_PREFIX}", public_api_page(not_found)),
    ]


def not_found(request, *args, **kwargs):
    return JsonResponse({"detail": str(_("There is nothing at this address."))}, status=404)
