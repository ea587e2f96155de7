"""Test 5: ten receipt attempts per 15 minutes per client; the 11th is
refused whether or not the receipt is right; no database row is written;
the counter key holds no address."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.whistleblowing.scan import database_hits
from whistleblowing import receipts
from whistleblowing.services import reporting

pytestmark = pytest.mark.django_db


def _row_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def test_eleventh_attempt_is_refused_even_with_the_right_receipt(committee, report_form):
    good = reporting.report_submit(data=report_form).receipt
    client = Client(REMOTE_ADDR="198.51.100.23")
    url = reverse("whistleblowing:login")
    with time_machine.travel(timezone.now(), tick=False):
        before = _row_counts()
        for _ in range(10):
            response = client.post(url, {"receipt": receipts.display(receipts.generate())})
            assert response.status_code == 200
        assert client.post(url, {"receipt": good}).status_code == 429
        assert client.post(url, {"receipt": "WRONG"}).status_code == 429
        assert _row_counts() == before
        other = Client(REMOTE_ADDR="198.51.100.99")
        assert other.post(url, {"receipt": good}).status_code == 302
    keys = list(caches["default"]._cache)
    assert keys and not any("198.51.100" in key for key in keys)
    assert database_hits("198.51.100.23") == []

    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert client.post(url, {"receipt": good}).status_code == 302
