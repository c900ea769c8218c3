import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_expected_database():
    """CI runs the suite twice; EXPECT_DB makes sure the PostgreSQL run really is on PostgreSQL."""
    expected = os.environ.get("EXPECT_DB")
    if expected:
        assert connection.vendor == expected
    else:
        assert connection.vendor in {"sqlite", "postgresql"}
