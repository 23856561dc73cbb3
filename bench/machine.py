"""What the benchmark ran on: the machine, its software and PostgreSQL's settings (kept in
the results with every run)."""

import os
import platform

PG_SETTINGS = (
    "server_version",
    "shared_buffers",
    "effective_cache_size",
    "work_mem",
    "maintenance_work_mem",
    "random_page_cost",
    "jit",
    "max_parallel_workers_per_gather",
    "fsync",
    "synchronous_commit",
)


def machine() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "")
        with open("/proc/meminfo") as info:
            memory_kb = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        memory_kb = 0
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
    }


def postgres_settings() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        values = {}
        for name in PG_SETTINGS:
            cursor.execute("SELECT current_setting(%s)", [name])
            values[name] = cursor.fetchone()[0]
    return values
