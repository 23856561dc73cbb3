"""Calls, e-mails, meetings and their follow-ups: each salesperson's to-do list and badge.

Stands on customers and opportunities, and adds the timeline panel to their pages
(``crm.panels``) instead of being imported by them.
"""
