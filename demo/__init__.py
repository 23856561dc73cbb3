"""Demo data: the users, customers, deals, communications, quotes and orders `make run` shows.

Top floor: it stands on every domain app and nothing imports it. ``demo.loading.load_demo``
(and ``manage.py load_demo``) adds what is missing; each module makes one part.
"""
