"""The roles of Varde, each a Django group.

A BPMN lane's name is the name of one of these groups (the one lane rule,
checked by ``sync_workflows``). Unit-scoped roles act only for the units the
user is a member of; global roles act for every unit.
"""

from django.utils.translation import gettext_lazy as _

HSE_COORDINATOR = "hse_coordinator"
UNIT_LEADER = "unit_leader"
HSE_ADMIN = "hse_admin"

ROLES = {
    HSE_COORDINATOR: _("HSE coordinator"),
    UNIT_LEADER: _("Unit leader"),
    HSE_ADMIN: _("HSE administrator"),
}

# Roles whose members act only for their own units.
UNIT_SCOPED_ROLES = frozenset({HSE_COORDINATOR, UNIT_LEADER})

# Roles allowed to reassign tasks of the units they act for.
LEAD_ROLES = frozenset({UNIT_LEADER, HSE_ADMIN})
