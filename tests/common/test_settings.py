"""The settings modules: DATABASE_URL, production hardening and `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]


def _run(settings: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment never
    # has it (check --deploy warns about it), so neither does this child process.
    skip = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in skip}
    full_env.update(DJANGO_SETTINGS_MODULE=settings, **env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_database_url_selects_the_engine():
    assert dj_database_url.parse("sqlite:////tmp/x.sqlite3")["ENGINE"].endswith("sqlite3")
    pg = dj_database_url.parse("postgres://postgres@127.0.0.1:5432/tandem")
    assert pg["ENGINE"].endswith("postgresql")
    assert (pg["HOST"], pg["PORT"], pg["NAME"]) == ("127.0.0.1", 5432, "tandem")


def test_local_settings_default_to_an_sqlite_file_under_var():
    result = _run(
        "config.settings.local",
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("var/tandem.sqlite3")


def test_production_settings_pass_the_deploy_check():
    result = _run(
        "config.settings.production",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "production-secret-for-the-check-only-0123456789",
        DJANGO_ALLOWED_HOSTS="tandem.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run("config.settings.production", "check", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_cookies_use_the_host_prefix():
    result = _run(
        "config.settings.production",
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
        " s.SECURE_HSTS_SECONDS, s.DEBUG)",
        DJANGO_SECRET_KEY="y" * 64,
        DJANGO_ALLOWED_HOSTS="tandem.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "31536000", "False"]
