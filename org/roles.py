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

# Unit-scoped roles that see every (generic) case of their units, as the
# incident handlers do. Other unit-scoped roles (an HR advisor) only work the
# tasks of their lanes and what their process's own policy opens.
UNIT_CASE_ROLES: set[str] = set()


def register_role(
    name: str, label, *, unit_scoped: bool = False, lead: bool = False,
    sees_unit_cases: bool = False,
) -> None:
    ROLES[name] = label
    if unit_scoped:
        UNIT_SCOPED_ROLES.add(name)
        if sees_unit_cases:
            UNIT_CASE_ROLES.add(name)
    if lead:
        LEAD_ROLES.add(name)


register_role(HSE_COORDINATOR, _("HSE coordinator"), unit_scoped=True, sees_unit_cases=True)
register_role(UNIT_LEADER, _("Unit leader"), unit_scoped=True, lead=True, sees_unit_cases=True)
register_role(HSE_ADMIN, _("HSE administrator"), lead=True)
