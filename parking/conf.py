"""Settings of near-parking that an institution fills in (``settings.py``).

Whether allocating a parking space is an individual decision (enkeltvedtak)
is for the institution's lawyers; Varde treats it as one by default, so its
letters meet forvaltningsloven §§ 24, 25 and 27, with these defaults:

* ``PARKING_APPEAL_BODY_NAME``: who decides appeals (the people holding the
  role ``parking_appeal_body``), as named in letters;
* ``PARKING_RULES_URL``: the institution's near-parking rules;
* ``PARKING_CONTROLLER``: the data controller named on the apply page (GDPR
  art. 13);
* ``PARKING_RENEWAL_KEEPS_SPOT``: a holder who renews in the same zone keeps
  their spot ahead of the waiting list (True), or competes with it (False).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_RULES_URL = "https://i.ntnu.no/wiki/-/wiki/Norsk/S%C3%B8k+om+n%C3%A6rparkering+p%C3%A5+NTNU"
LATE_APPEAL_LIMIT_DAYS = 365  # fvl. § 31 third paragraph: not heard after one year


def appeal_body_name() -> str:
    return str(getattr(settings, "PARKING_APPEAL_BODY_NAME", "") or _(
        "the university's appeals board (Klagenemnda)"
    ))


def rules_url() -> str:
    return getattr(settings, "PARKING_RULES_URL", "") or DEFAULT_RULES_URL


def renewal_keeps_spot() -> bool:
    return bool(getattr(settings, "PARKING_RENEWAL_KEEPS_SPOT", True))


def controller_name() -> str:
    return str(getattr(settings, "PARKING_CONTROLLER", "") or _(
        "NTNU, the Norwegian University of Science and Technology, 7491 Trondheim "
        "(data protection officer: personvernombud@ntnu.no)"
    ))


def statement_comment_days() -> int:
    """Days the applicant has to answer the first instance's comments sent to
    the appeal body before it may decide (fvl. § 17), unless they answer
    sooner: ``PARKING_STATEMENT_COMMENT_DAYS`` (default 7)."""
    return int(getattr(settings, "PARKING_STATEMENT_COMMENT_DAYS", 7))
