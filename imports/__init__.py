"""Bringing a team's existing data in: CSV and Excel files of customers (with contacts), deals
and communications, mapped, previewed, checked for duplicates, and run in the background.

Stands on every domain app (it creates their records through their services) and below the
top floor: the Python API and the dashboard may use it.
"""
