"""Orders made from quotes, their approval and fulfilment, and the Approvals page that lists
quotes and orders waiting for a manager. The last domain app: it may import quotes.
"""
