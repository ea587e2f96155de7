from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every process (``manage.py seed_demo``). Depends on all
    the process apps; nothing depends on it."""

    name = "demo"
    verbose_name = "Demo data"
