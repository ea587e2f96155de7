"""The near-parking roles (Django groups named like the BPMN lanes)."""

PARKING_OFFICER = "parking_officer"
OCCUPATIONAL_PHYSIOTHERAPIST = "occupational_physiotherapist"
# The appeal body (fvl. § 28): whoever holds this role decides appeals; its
# name in letters is the setting PARKING_APPEAL_BODY_NAME (parking.conf).
PARKING_APPEAL_BODY = "parking_appeal_body"

PROCESS_ID = "near_parking"
