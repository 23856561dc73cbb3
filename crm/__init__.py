"""The ground floor: what every app stands on, and nothing of any app above it.

Settings, URLs and wsgi; roles and record access (``visible_to``); the list page, filters and
CSV export every list shares; create/edit pages over a service; the workflow step (lock,
check, run, record); history, panels, numbering, money and cached team figures. Only
``crm/urls.py`` names the apps above, by their URLconfs (tests/crm/test_layout.py).
"""
