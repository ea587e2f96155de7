"""The roles of Varde, each a Django group.

A BPMN lane's name is the name of one of these groups (the one lane rule,
checked by ``sync_workflows``). Unit-scoped roles act only for the units the
user is a member of; global roles act for every unit.

Apps add their own roles with ``register_role`` in ``AppConfig.ready``; the
groups are created after every migrate (and after a test flush).
"""

from django.utils.translation import gettext_lazy as _

HSE_COORDINATOR = "hse_coordinator"
UNIT_LEADER = "unit_leader"
HSE_ADMIN = "hse_admin"

ROLES: dict[str, object] = {}

# Roles whose members act only for their own units (mutated by register_role).
UNIT_SCOPED_ROLES: set[str] = set()

# Roles allowed to reassign tasks of the units they act for.
LEAD_ROLES: set[str] = set()


def register_role(name: str, label, *, unit_scoped: bool = False, lead: bool = False) -> None:
    ROLES[name] = label
    if unit_scoped:
        UNIT_SCOPED_ROLES.add(name)
    if lead:
        LEAD_ROLES.add(name)


register_role(HSE_COORDINATOR, _("HSE coordinator"), unit_scoped=True)
register_role(UNIT_LEADER, _("Unit leader"), unit_scoped=True, lead=True)
register_role(HSE_ADMIN, _("HSE administrator"), lead=True)
