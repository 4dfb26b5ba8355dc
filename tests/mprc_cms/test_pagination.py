"""Paging a list: the page and the count in one query, the same pages as Django's
Paginator for any page parameter a visitor may type."""

import pytest
from django.contrib.auth.models import Group
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mprc_cms.pagination import paginate

pytestmark = pytest.mark.django_db


def reference(request, items, per_page):
    """The former paginate(): Django's Paginator, a count then a slice."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def request_for(value):
    return RequestFactory().get("/", {} if value is None else {"page": value})


PAGE_VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=12).map(str),
    st.sampled_from(["", "abc", "2.0", "1.5", "-0", "1e3", "10" * 40, "inf", "nan", " 2"]),
    st.integers(min_value=10**4, max_value=10**400).map(str),
    st.text(max_size=5),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(size=st.integers(min_value=0, max_value=25), per_page=st.integers(1, 7), value=PAGE_VALUES)
def test_the_same_page_as_djangos_paginator(size, per_page, value):
    Group.objects.filter(name__startswith="g-").delete()
    Group.objects.bulk_create(Group(name=f"g-{i:03d}") for i in range(size))
    items = Group.objects.filter(name__startswith="g-").order_by("name")
    expected = reference(request_for(value), items, per_page)
    page = paginate(request_for(value), items, per_page)
    assert page.number == expected.number
    assert page.paginator.count == expected.paginator.count == size
    assert [g.name for g in page.object_list] == [g.name for g in expected.object_list]
    assert page.has_next() == expected.has_next()


@pytest.mark.parametrize("value", [None, "1", "abc"])
def test_the_first_page_and_the_count_take_one_query(value):
    Group.objects.bulk_create(Group(name=f"g-{i:03d}") for i in range(30))
    items = Group.objects.filter(name__startswith="g-").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        page = paginate(request_for(value), items, 10)
        names = [g.name for g in page.object_list]
        count = page.paginator.count
    assert len(queries) == 1
    assert names == [f"g-{i:03d}" for i in range(10)]
    assert count == 30


@pytest.mark.parametrize("value", ["2", "3", "9"])
def test_another_page_costs_the_same_whether_or_not_it_exists(value):
    """A count, then the page (the last one for a number past it)."""
    Group.objects.bulk_create(Group(name=f"g-{i:03d}") for i in range(30))
    items = Group.objects.filter(name__startswith="g-").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        page = paginate(request_for(value), items, 10)
        list(page.object_list)
    assert len(queries) == 2
    assert page.number == min(int(value), 3)


def test_a_list_is_paged_too():
    page = paginate(request_for("9"), list(range(25)), 10)
    assert page.number == 3
    assert list(page.object_list) == [20, 21, 22, 23, 24]
