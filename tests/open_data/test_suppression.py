"""The rule of small counts (``mprc_cms.open_data.suppression``), over random tables: no
published count under 5, everything else untouched."""

from hypothesis import given
from hypothesis import strategies as st

from mprc_cms.open_data.suppression import THRESHOLD, suppress_small_counts

COUNTS = ("signups", "posts")
rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "commune": st.text(max_size=20),
            "month": st.sampled_from(["2026-01", "2026-02", "2026-12"]),
            "signups": st.one_of(st.none(), st.integers(min_value=0, max_value=1000)),
            "posts": st.one_of(st.none(), st.integers(min_value=0, max_value=30)),
        }
    ),
    max_size=40,
)


@given(rows_strategy, st.integers(min_value=1, max_value=20))
def test_no_published_count_is_under_the_threshold(rows, threshold):
    published = suppress_small_counts(rows, COUNTS, threshold)
    assert len(published) == len(rows)
    for before, after in zip(rows, published, strict=True):
        for name in COUNTS:
            assert after[name] is None or after[name] >= threshold
            # A count at or above the threshold is published as it is.
            if before[name] is not None and before[name] >= threshold:
                assert after[name] == before[name]
            else:
                assert after[name] is None
        # What is not a count is never touched.
        assert after["commune"] == before["commune"]
        assert after["month"] == before["month"]


@given(rows_strategy)
def test_the_rows_given_are_left_as_they_were(rows):
    copies = [dict(row) for row in rows]
    suppress_small_counts(rows, COUNTS)
    assert rows == copies


def test_the_threshold_is_five():
    assert THRESHOLD == 5
    assert suppress_small_counts([{"n": 4}, {"n": 5}, {"n": 0}], ["n"]) == [
        {"n": None},
        {"n": 5},
        {"n": None},
    ]
