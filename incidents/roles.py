"""The safety representative (verneombud, aml. § 6-2): per unit, reads the
unit's deviations and injury register without medical detail, and is told
of every accident and serious near-accident in the unit when it is accepted.
Not a handler: no lane, no task, no case page."""

SAFETY_REPRESENTATIVE = "safety_representative"
