from django.contrib.auth.models import Group

from org.roles import ROLES


def role_groups_ensure() -> None:
    """Create the role groups (also done by org's migration; a flushed test
    database or a restored dump may lack them)."""
    for name in ROLES:
        Group.objects.get_or_create(name=name)
