"""Quotes, their priced lines and the approval workflow with four eyes and automatic rules.

Stands on opportunities; ``lines.PricedLine`` is the line orders copy, ``services`` the only
way a quote changes state.
"""
