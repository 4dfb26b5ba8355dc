"""The API's documentation page (``/api/v1/documentation/``): the OpenAPI document read as a
page, endpoint by endpoint (what it lists, its parameters, the fields of its records),
without JavaScript, in French. Made from the same document as ``/api/v1/schema/``, so it
is always the API's."""

from functools import cache

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator


@cache
def openapi_document():
    """The OpenAPI 3 document of the endpoints (the same for every request of a process:
    it depends on the installed modules only)."""
    from django.urls import include, path

    from . import rest

    with translation.override(settings.LANGUAGE_CODE):
        generator = SchemaGenerator(
            patterns=[path(rest.API_PREFIX, include(rest.get_router().urls))]
        )
        return generator.get_schema(request=None, public=True)


def _resolve(document, schema):
    reference = (schema or {}).get("$ref")
    if reference:
        name = reference.rsplit("/", 1)[-1]
        return document["components"]["schemas"].get(name, {})
    return schema or {}


def _type(document, schema):
    schema = schema or {}
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "allOf" in schema:
        return " ".join(_type(document, part) for part in schema["allOf"])
    if "oneOf" in schema:
        return " | ".join(_type(document, part) for part in schema["oneOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"[{_type(document, schema.get('items'))}]"
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"] if value not in ("", None))
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind or "object"


def _fields(document, schema):
    schema = _resolve(document, schema)
    return [
        {
            "name": name,
            "type": _type(document, field),
            "description": field.get("description", ""),
            "nullable": field.get("nullable", False),
        }
        for name, field in schema.get("properties", {}).items()
    ]


def endpoints():
    """Each GET operation: its path, summary, parameters and the fields of a record."""
    document = openapi_document()
    found = []
    for address, operations in document.get("paths", {}).items():
        operation = operations.get("get")
        if operation is None:
            continue
        response = operation.get("responses", {}).get("200", {})
        schema = response.get("content", {}).get("application/json", {}).get("schema", {})
        schema = _resolve(document, schema)
        listed = "results" in schema.get("properties", {})
        record = schema["properties"]["results"].get("items") if listed else schema
        found.append(
            {
                "path": address,
                "anchor": operation.get("operationId", address),
                "summary": operation.get("description", ""),
                "listed": listed,
                "parameters": [
                    {
                        "name": p["name"],
                        "where": p.get("in", ""),
                        "type": _type(document, p.get("schema")),
                        "description": p.get("description", ""),
                        "required": p.get("required", False),
                    }
                    for p in operation.get("parameters", [])
                ],
                "fields": _fields(document, record),
            }
        )
    return found


def documentation(request):
    """The page; its address's promises (French, GET only, CORS, the page cache) are
    ``rest.public_api_page``'s, which serves it."""
    from . import rest

    with translation.override(settings.LANGUAGE_CODE):
        base = request.build_absolute_uri("/api/v1/")
        return render(
            request,
            "rest/documentation.html",
            {
                "document": openapi_document(),
                "endpoints": endpoints(),
                "api_root": base,
                "schema_url": f"{base}schema/",
                "page_size": rest.PAGE_SIZE,
                "max_page_size": rest.MAX_PAGE_SIZE,
                "rate": rest.Throttle().get_rate(),
            },
        )
