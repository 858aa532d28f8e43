import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as WebClient
from django.urls import reverse


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "KOERS_SECRET_KEY": secrets.token_urlsafe(50),
        "KOERS_HTTPS": "1",
        "KOERS_ALLOWED_HOSTS": "koers.example.com",
        "KOERS_DATA_DIR": str(tmp_path),
        "KOERS_DEBUG": "",
    }
    result = subprocess.run(
        [sys.executable, "-m", "koers.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KOERS_SECRET_KEY"}
    env["KOERS_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "koers.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "KOERS_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_forms_refuse_a_post_without_csrf_token(cast):
    web = WebClient(enforce_csrf_checks=True)
    web.force_login(cast.owner)
    response = web.post(reverse("workspaces:client_create", args=["acme"]), {"name": "X"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_busy_timeout():
    if connection.vendor != "sqlite":
        assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        assert os.environ.get("DATABASE_URL", "").startswith("postgres")
        return
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        # The test database lives in memory unless a file is named; WAL applies to files.
        assert cursor.fetchone()[0] in {"wal", "memory"}
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
