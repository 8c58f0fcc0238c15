#!/usr/bin/env python
"""Django's command-line utility for CSO Portal."""

import sys

from cso_portal.envsettings import use_settings_for_env


def main() -> None:
    use_settings_for_env()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: say what it is, no traceback.
        sys.stderr.write(f"CSO Portal refuses to start: {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
