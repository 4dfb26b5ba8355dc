"""One way to page through a list, for every listing of the site."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils.functional import SimpleLazyObject

# The name of the count annotated on each row of a page (see paginate).
TOTAL = "paginated_total"


def paginate(request, items, per_page, parameter="page"):
    """The page of ``items`` asked for in ``request.GET``; a wrong or too large number
    gives the first or the last page rather than an error.

    The first page of a queryset and the number of items come from one query: each row
    carries the count of every item (a window ``COUNT``, taken before the limit), and the
    page's ``object_list`` is a list (the rows, prefetches done). The other pages count
    first, as Django's Paginator does: a number past the last page then costs no more
    than another."""
    paginator = Paginator(items, per_page)
    if isinstance(items, QuerySet) and _page_number(request.GET.get(parameter, 1)) == 1:
        rows = list(items.annotate(**{TOTAL: Window(Count("pk"))})[:per_page])
        # Paginator's cached count: the window's, or none at all.
        paginator.__dict__["count"] = getattr(rows[0], TOTAL) if rows else 0
        page = paginator.page(1)
        page.object_list = rows
        return page
    number = request.GET.get(parameter, 1)
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def paginate_lazily(request, items, per_page, parameter="page", then=None):
    """:func:`paginate`, then ``then(page)`` (what the shown items need: their relations,
    objects for ids), run only when a template first reads the page. A list kept as a
    fragment (``{% fragment %}``: the call for needs, the catalogues, the funding guide,
    the board, the news) costs no query while its fragment is valid."""

    def compute():
        page = paginate(request, items, per_page, parameter)
        if then is not None:
            then(page)
        return page

    return SimpleLazyObject(compute)


def _page_number(value):
    """The page number as Django's Paginator reads it (``int()``); 1 when it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1
