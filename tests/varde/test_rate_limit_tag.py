"""The limiter's client tag is short on purpose (varde/ratelimit.py)."""

import pytest
from django.test import RequestFactory

from varde.ratelimit import TAG_BITS, Limiter


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "rate-limit-tag"}}


def test_a_tag_holds_at_most_tag_bits_and_separates_most_clients():
    limiter = Limiter("tagtest")
    tags = {limiter.client_tag(RequestFactory().get("/", REMOTE_ADDR=f"10.0.{i // 256}.{i % 256}"))
            for i in range(2000)}
    assert all(int(tag, 16) < 2**TAG_BITS for tag in tags)
    assert TAG_BITS <= 20
    assert len(tags) > 1990  # shared buckets are rare


def test_the_same_client_gets_the_same_tag_within_the_day():
    limiter = Limiter("tagtest")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    assert limiter.client_tag(request) == limiter.client_tag(request)
