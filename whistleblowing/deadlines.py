"""The clocks of a report: when to remind, when work is overdue, and how far
an overdue notice escalates. Pure date arithmetic, no database.

Two clocks run from arrival: the acknowledgement (until acknowledged) and
the feedback (until the case closes). After closing, the employer's open
check-in with the reporter has its own clock, until it is done. Before a deadline: reminders N days
ahead (3 for the acknowledgement; 14 and 3 for the feedback). From the
deadline on: an overdue notice every ``repeat`` days, never stopping, each
one escalating a step (members, then also the leader, then also the person
responsible for the channel).
"""

from dataclasses import dataclass
from datetime import date, timedelta

ACKNOWLEDGEMENT = "acknowledgement"
FEEDBACK = "feedback"
CHECKIN = "checkin"
WARN_DAYS = {ACKNOWLEDGEMENT: (3,), FEEDBACK: (14, 3), CHECKIN: (3,)}

MEMBERS, LEADER, RESPONSIBLE = 1, 2, 3


@dataclass(frozen=True)
class Notice:
    clock: str
    due: date
    key: str  # what was sent, so a wake-up never sends it twice
    days_left: int  # > 0 a reminder; <= 0 overdue
    level: int  # 0 reminder; 1.. escalation step (capped at RESPONSIBLE)


@dataclass(frozen=True)
class Plan:
    notices: list
    sent: list
    next_on: date | None


def _clock(clock: str, due: date, today: date, sent: set, repeat: int):
    """(notice or None, keys now covered, next date this clock needs a wake)."""
    if today < due:
        points = sorted((due - timedelta(days=d), d) for d in WARN_DAYS[clock])
        passed = [(day, d) for day, d in points if day <= today]
        upcoming = [day for day, _d in points if day > today] + [due]
        keys = [f"{clock}:{due}:-{d}" for _day, d in passed]
        notice = None
        if passed and keys[-1] not in sent:
            day, d = passed[-1]
            notice = Notice(clock, due, keys[-1], (due - today).days, 0)
        return notice, keys, min(upcoming)
    cycle = (today - due).days // repeat
    key = f"{clock}:{due}:+{cycle}"
    notice = None
    if key not in sent:
        notice = Notice(clock, due, key, (due - today).days, min(cycle + 1, RESPONSIBLE))
    return notice, [key], due + timedelta(days=(cycle + 1) * repeat)


def plan(*, today: date, ack_due: date | None, acknowledged: bool, feedback_due: date | None,
         closed: bool, sent, repeat: int = 7, checkin_due: date | None = None) -> Plan:
    """What to send today and when to look again (None: nothing left to watch)."""
    sent = set(sent or ())
    clocks = []
    if not closed:
        if ack_due and not acknowledged:
            clocks.append((ACKNOWLEDGEMENT, ack_due))
        if feedback_due:
            clocks.append((FEEDBACK, feedback_due))
    if checkin_due:
        clocks.append((CHECKIN, checkin_due))
    notices, keys, wakes = [], set(sent), []
    for clock, due in clocks:
        notice, covered, wake = _clock(clock, due, today, sent, max(1, int(repeat)))
        keys.update(covered)
        wakes.append(wake)
        if notice is not None:
            notices.append(notice)
    return Plan(notices, sorted(keys), min(wakes) if wakes else None)
