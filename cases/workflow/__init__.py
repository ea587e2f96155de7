"""The only package that imports SpiffWorkflow.

Services in ``cases.services`` use it; views, forms, templates and other apps
never do.
"""
