"""Screens of sick-leave follow-up: thin views over sickleave.services and
sickleave.selectors. Every follow-up is fetched through
``sickleave.access.access_followup``, which logs the read."""
