"""Settings of the server tests: production settings plus one route that fails.

Only tests/serve/ points DJANGO_SETTINGS_MODULE here (for the bin/serve it
starts); varde.settings never routes to the failing view, so production
cannot reach it.
"""

from varde.settings import *  # noqa: F403

ROOT_URLCONF = "tests.serve.urls"

# One cache for every worker of the served app (a file cache in the test's
# directory, searched with the logs), and a small report limit so the test
# reaches it quickly.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ["VARDE_TEST_CACHE_DIR"],  # noqa: F405
    }
}
VARDE_INCIDENT_RATE = (3, 3600)
