"""The near-parking roles (Django groups named like the BPMN lanes)."""

PARKING_OFFICER = "parking_officer"
OCCUPATIONAL_PHYSIOTHERAPIST = "occupational_physiotherapist"

PROCESS_ID = "near_parking"
