"""Writes of the near-parking app. Views and operations call these; every
change to cases goes through ``cases.services``."""
