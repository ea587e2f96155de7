"""Whether a body is composed as the law requires on a given day (aml.
§ 7-1, forskrift §§ 3-7, 3-12 and 3-16), shown to the secretary:

- the sides have as many voting seats each (unless the body is set
  otherwise, as the institution may for the building arm);
- AMU has a permanent seat for the occupational health service without a
  vote, and the chief safety representative is a voting member;
- there is a chair, and a deputy chair from the other side.

The year's meetings against the plan are in the annual figures
(``selectors.annual_figures``).
"""

from datetime import date

from django.utils.translation import gettext as _

from amu.models import BodyKind, Function, Member, Side


def composition_problems(body, day: date) -> list[str]:
    seats = list(Member.objects.active_on(day).filter(body=body))
    principals = [m for m in seats if m.seats_counted]
    problems = []
    employer = sum(1 for m in principals if m.side == Side.EMPLOYER)
    employee = sum(1 for m in principals if m.side == Side.EMPLOYEE)
    if body.equal_sides and employer != employee:
        problems.append(_(
            "The sides are not equal: %(employer)s voting seats for the employer, "
            "%(employee)s for the employees."
        ) % {"employer": employer, "employee": employee})
    if body.kind == BodyKind.AMU:
        if not any(m.function == Function.OCCUPATIONAL_HEALTH for m in seats):
            problems.append(_(
                "The occupational health service has no permanent seat (without a vote)."
            ))
        if not any(m.function == Function.CHIEF_SAFETY_REPRESENTATIVE for m in principals):
            problems.append(_("The chief safety representative is not a member."))
    chair = next((m for m in seats if m.chair), None)
    if chair is None:
        problems.append(_("The body has no chair."))
    elif not any(m.deputy_chair and m.side != chair.side for m in seats):
        problems.append(_("The body has no deputy chair from the other side than the chair."))
    return problems
