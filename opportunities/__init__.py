"""Deals through the pipeline: the stage machine (stages.py), the board and the forecast.

Stands on customers; every stage change goes through ``services.change_stage``.
"""
