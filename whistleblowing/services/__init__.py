"""Services of the whistleblowing channel: every write, one transaction each.

Modules: ``members`` (keys and login), ``reporting`` (the anonymous side),
``committee`` (reading and writing as a member), ``grants``, ``batch`` (the
scheduled start of cases and activity notices), ``retention`` (purge),
``audit`` (hash chain) and ``content`` (encrypted entries and files).
"""
