"""PostgreSQL's JIT is off for the application's connections (issue 20: a page's short
queries over large tables paid more for compiling than they saved; measured at 100,000
generated persons, the referral figures took 733 ms with JIT and 529 ms without)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is PostgreSQL's")
def test_the_application_connects_with_jit_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
