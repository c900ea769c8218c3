"""Settings for ``bench/cases_intake.py``: the dev settings with the benchmark's URLs (baseline endpoint added)."""

from config.settings.dev import *  # noqa: F401,F403

ROOT_URLCONF = "cases_intake_urls"
DEBUG = False
