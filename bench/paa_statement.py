"""P4: the PAA quarter statement of 1,000 members × 1,000,000 charges, in a scratch database.

    CSO_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cso_bench \\
        .venv/bin/python bench/paa_statement.py [--members 1000] [--charges 1000000]
        [--quarters 1] [--runs 20] [--usage-csv-runs 1] [--keep]

It loads the test settings (``cso_portal.settings.test``), creates the scratch database
``test_<name of CSO_TEST_DATABASE_URL>`` (dropped first if it exists, migrated), runs
``manage.py bench_paa_statement`` in it — seed with ``INSERT … SELECT generate_series``,
then time the statement page, its CSV and the raw usage CSV through the Django test client
against a trivial signed-in view measured in the same run — and drops the database (unless
``--keep``). It never touches the development database, and refuses SQLite.
"""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cso_portal.settings.test")
    keep = "--keep" in argv
    argv = [arg for arg in argv if arg != "--keep"]
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("bench/paa_statement.py needs PostgreSQL: set CSO_TEST_DATABASE_URL.")
        return 2
    print(
        f"python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}"
    )
    original = connection.settings_dict["NAME"]
    scratch = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            print(cursor.fetchone()[0])
        call_command("bench_paa_statement", *argv)
    finally:
        if keep:
            print(f"kept the scratch database {scratch}")
        else:
            connection.creation.destroy_test_db(original, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
