from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only for its management command, ``generate_bench_data``; no models."""

    name = "bench"
    verbose_name = "Benchmark"
