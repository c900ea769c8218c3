import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def production_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "EXPECT_DB"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "gov.example.cn",
        "CSRF_TRUSTED_ORIGINS": "https://gov.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "false",
        "SECURE_COOKIES": "true",
    })
    return env


def run(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('check', '--deploy', fail_level='WARNING'); print('CLEAN')")
    result = run(code, production_env(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "CLEAN" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_production_settings_refuse_the_development_keys(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run("import django; django.setup()", env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_every_production_entry_point_defaults_to_the_production_settings():
    """gunicorn (wsgi/asgi), Celery workers and beat, and the installed ``grassroots`` command read the same default
    settings module: the production one (docs/operations.md); only ``manage.py`` is for development."""
    import re

    entry_points = ["config/wsgi.py", "config/asgi.py", "config/celery.py", "grassroots/__main__.py"]
    defaults = {path: re.findall(r'setdefault\("DJANGO_SETTINGS_MODULE", "([\w.]+)"\)',
                                 (ROOT / path).read_text(encoding="utf-8")) for path in entry_points}
    assert defaults == {path: ["config.settings.prod"] for path in entry_points}
