"""File sizes written the French way: «5 Mo», «1,5 Mo», «800 ko», never «5,0 Mio»."""

import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mprc_cms.sizes import GB, KB, MB, file_size

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 octet"),
        (1, "1 octet"),
        (900, "900 octets"),
        (800 * KB, "800 ko"),
        (5 * MB, "5 Mo"),
        (MB + MB // 2, "1,5 Mo"),
        (50 * MB, "50 Mo"),
        (2 * GB, "2 Go"),
    ],
)
def test_examples(size, text):
    assert file_size(size) == text.replace(" ", NBSP)


def test_english_under_en():
    with translation.override("en"):
        assert file_size(5 * MB) == "5 MB"


SIZE_TEXT = re.compile(r"^(\d[\d\u202f\u00a0]*)(?:,(\d))?\u00a0(octets?|ko|Mo|Go)$")
FACTORS = {"octet": 1, "octets": 1, "ko": KB, "Mo": MB, "Go": GB}


@given(st.integers(min_value=0, max_value=5000 * GB))
def test_any_size_is_written_in_usual_units_and_reads_back_close(size):
    with translation.override("fr"):
        text = file_size(size)
    match = SIZE_TEXT.match(text)
    assert match, text
    whole, decimal, unit = match.groups()
    value = int(re.sub(r"\D", "", whole)) + (int(decimal) / 10 if decimal else 0)
    assert decimal != "0"  # no «5,0»
    read_back = value * FACTORS[unit]
    assert abs(read_back - size) <= max(0.05 * FACTORS[unit], 0.051 * size)
