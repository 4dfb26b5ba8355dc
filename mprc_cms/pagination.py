"""One way to page through a list, for every listing of the site."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(request, items, per_page, parameter="page"):
    """The page of ``items`` asked for in ``request.GET``; a wrong or too large number
    gives the first or the last page rather than an error."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get(parameter, 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
