"""What every page walk in Chromium shares: one browser per test class, the
test case's database work kept off the browser's event loop, and the
whistleblowing files folder emptied after each test."""

import shutil
from concurrent.futures import ThreadPoolExecutor

from django.db import connections

from tests.browser import a11y
from tests.browser.test_live_queue import launch
from tests.live_server import LiveServerTestCase


def in_thread(func, *args):
    """Database work away from the browser's event loop (Django refuses ORM
    calls on a thread with a running loop); the thread's connection is closed."""

    def run():
        try:
            return func(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


class BrowserWalkTestCase(LiveServerTestCase):
    """A live server with static files and one Chromium for the class.
    Subclasses set ``files``: the folder removed after each test."""

    serve_static = True
    files = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.axe = a11y.axe_script()
        cls.playwright = sync_playwright().start()
        cls.browser = launch(cls.playwright)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    # The browser's event loop lives on this thread for the whole module, so
    # Django refuses database work here: the test case's own set-up and
    # flush run on a worker thread, as the walks' data does.
    @classmethod
    def _fixture_setup(cls):
        in_thread(super()._fixture_setup)

    def _post_teardown(self):
        in_thread(super()._post_teardown)

    def tearDown(self):
        if self.files:
            shutil.rmtree(self.files, ignore_errors=True)
