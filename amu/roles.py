"""AMU roles. The secretary role is a Django group (a BPMN lane); membership
of a body is a ``Member`` row, and the ``amu_member`` group only mirrors
"has a current membership" for navigation (see ``services.members``)."""

from django.utils.translation import gettext_lazy as _

from org.roles import register_role

AMU_SECRETARY = "amu_secretary"
AMU_MEMBER = "amu_member"


def register_roles() -> None:
    register_role(AMU_SECRETARY, _("AMU secretary"))
    register_role(AMU_MEMBER, _("AMU member"))
