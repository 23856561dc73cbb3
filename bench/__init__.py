"""`make bench`: synthetic data at a million rows and the measurements the issue asks for.

- ``bench.generate``: fills PostgreSQL with realistic, deterministic data at a scale factor
  (also ``manage.py generate_bench_data``);
- ``bench.measure``: list pages, the dashboard and the CSV export through Django's test
  client, with query counts;
- ``bench.serve``: requests per second of a list page served by gunicorn;
- ``bench.report``: the goals, the table and the JSON under ``bench/results/``;
- ``bench.run``: what ``make bench`` runs (``python -m bench.run --scale 1``).

Nothing in the product imports this package: it is a tool run from the checkout.
"""
