"""The scoring rubric of domain.md §3 and the ranking rule of the waiting list.

Score 0–10 = functional limitation (0–5, the physiotherapist) + walking
distance from the nearest ordinary parking (0–2) + days a week needed (0–2)
+ 1 for a temporary need after an injury. Applications for social reasons
have no functional score and rank after every health application.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FUNCTION_MAX = 5
DISTANCE_MAX = 2
DAYS_MAX = 2
TEMPORARY_BONUS = 1

HEALTH_PRIORITY = 1
SOCIAL_PRIORITY = 2

RANKING_RULE = _(
    "Applications for health reasons come before applications for social reasons. "
    "Within each group the higher score comes first; equal scores are ordered by "
    "application date, earliest first."
)


@dataclass(frozen=True)
class Score:
    function: int
    distance: int
    days: int
    temporary: bool

    def __post_init__(self):
        for value, high in ((self.function, FUNCTION_MAX), (self.distance, DISTANCE_MAX),
                            (self.days, DAYS_MAX)):
            if not 0 <= value <= high:
                raise ValueError(f"score part {value} outside 0–{high}")

    @property
    def total(self) -> int:
        bonus = TEMPORARY_BONUS if self.temporary else 0
        return self.function + self.distance + self.days + bonus


def suggested_days_score(days_per_week: int) -> int:
    """A starting value for the days part: 1–2 days → 0, 3–4 → 1, 5 or more → 2."""
    if days_per_week >= 5:
        return 2
    return 1 if days_per_week >= 3 else 0


def ranking_key(*, priority_group: int, score: int, submitted_at, pk: int) -> tuple:
    """The waiting-list order: health first, score descending, then date (and id)."""
    return (priority_group, -score, submitted_at, pk)
