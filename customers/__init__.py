"""Customers and their contacts and tags: the first domain app, standing on ``crm`` alone.

Owners decide who sees what: every later record follows its customer's owner
(``crm.models.CustomerRecord``), and reassigning customers moves those copies along.
"""
