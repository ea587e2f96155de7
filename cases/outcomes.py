"""Labels of the outcomes a process writes to ``Case.outcome``.

The generic ones live here; a process whose workflow writes its own codes
(near-parking: "waitlisted", "declined", ...) registers their labels in its
``AppConfig.ready``, so no case page or list shows a bare code.
"""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

OUTCOME_LABELS = {"closed": _("closed"), "rejected": _("rejected")}


def register_outcome_labels(labels: Mapping) -> None:
    """Add labels for outcome codes; a code already labelled keeps its label."""
    for code, label in labels.items():
        OUTCOME_LABELS.setdefault(code, label)
