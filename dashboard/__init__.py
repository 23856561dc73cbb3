"""The home page: each user's figures (a manager's are the team's) as cards of reports, each
with its table, a chart where it helps, and a CSV. Top floor: reads every domain app, imported
by none.
"""
