from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _register_outcome_labels():
    """The codes the workflow writes to the case's outcome, with labels."""
    from cases.outcomes import register_outcome_labels
    from parking.models import ApplicationStatus, Outcome, PermitStatus

    register_outcome_labels({
        **{outcome.value: outcome.label for outcome in Outcome},
        "incomplete": ApplicationStatus.INCOMPLETE.label,
        "expired": PermitStatus.EXPIRED.label,
        # A freed spot reached the application while its appeal was handled.
        "superseded": ApplicationStatus.OFFERED.label,
        "replaced": _("Replaced by a renewal"),
    })


def _zone_permissions_for_hse_admins(sender, **kwargs):
    from parking.services.zones import zone_admin_permissions_ensure

    zone_admin_permissions_ensure()


class ParkingConfig(AppConfig):
    name = "parking"
    verbose_name = _("Near-parking")

    def ready(self):
        from cases.access import register_access_policy
        from cases.parties import register_parties, reporter_is_party
        from org.roles import register_role
        from parking import access, operations  # noqa: F401
        from parking.roles import (
            OCCUPATIONAL_PHYSIOTHERAPIST,
            PARKING_APPEAL_BODY,
            PARKING_OFFICER,
            PROCESS_ID,
        )

        # Global roles: near-parking is run centrally by the HSE section and
        # the occupational health service, not per unit. Officers are leads
        # so that they can hand a task on (e.g. to another physiotherapist).
        register_role(PARKING_OFFICER, _("Near-parking case officer"), lead=True)
        register_role(OCCUPATIONAL_PHYSIOTHERAPIST, _("Occupational physiotherapist"))
        register_role(PARKING_APPEAL_BODY, _("Appeal body for near-parking"))
        register_access_policy(PROCESS_ID, access.CASE_POLICY)
        from parking.task_checks import register_task_checks

        register_task_checks()
        _register_outcome_labels()
        # The applicant is the party: they send documentation and appeal,
        # and never check, assess or decide their own application.
        register_parties(PROCESS_ID, reporter_is_party, own_steps=access.APPLICANT_STEPS,
                         barred=access.barred_from_task,
                         linked=access.matter_case_ids)
        # HSE administrators edit the zones in the Django admin; the
        # permissions are (re)granted after every migrate, like the groups.
        post_migrate.connect(
            _zone_permissions_for_hse_admins, sender=self, dispatch_uid="parking_zone_admin_perms"
        )
