"""The `grassroots` console command: Django management with our settings.

Installed from the wheel it is the production command, so it defaults to the production settings like
``config.wsgi`` and ``config.celery`` (``docs/operations.md``); the embedded demo and development set
``DJANGO_SETTINGS_MODULE=config.settings.dev`` (``scripts/demo`` does; ``manage.py`` defaults to it)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["grassroots", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
