from tests.participation.conftest import signup_page, signup_page_b  # noqa: F401 (fixtures)
