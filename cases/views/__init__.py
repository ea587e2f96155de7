"""Server-rendered screens of the case engine, one module per concern.

Views validate input, get objects through ``cases.access``, call one service
or selector, and render or redirect. They never import ``cases.workflow``.
"""
