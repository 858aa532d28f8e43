"""Which address a per-address limit counts: X-Forwarded-For only from a named proxy."""

from types import SimpleNamespace

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from pytest_django.fixtures import Settings

from koers.core.ratelimit import client_address


def request(peer: str, forwarded: str | None = None) -> SimpleNamespace:
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return SimpleNamespace(META=meta)


def test_without_trusted_proxies_the_header_is_ignored(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = []
    settings.HTTPS = True
    assert client_address(request("203.0.113.5", "10.0.0.1")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("127.0.0.1", "198.51.100.7", "198.51.100.7"),  # the proxy says who it serves
        # A client that wrote its own header: the proxy appended the real address; the rest
        # is the client's own writing and is not believed.
        ("127.0.0.1", "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        ("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),  # two proxies
        ("203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not from a proxy: the header is a lie
        ("127.0.0.1", "", "127.0.0.1"),
        ("::1", "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_header_is_read_from_the_right_behind_a_trusted_proxy(
    settings: Settings, peer: str, forwarded: str, client: str
) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8", "::1"]
    assert client_address(request(peer, forwarded)) == client


@pytest.mark.django_db
def test_a_login_flood_with_made_up_forwarded_addresses_is_still_limited(
    settings: Settings,
) -> None:
    settings.HTTPS = True
    settings.SECURE_SSL_REDIRECT = False
    settings.LOGIN_RATE_LIMIT = 3
    refused = []
    for n in range(5):
        web = WebClient(REMOTE_ADDR="203.0.113.50", HTTP_X_FORWARDED_FOR=f"10.1.2.{n}")
        response = web.post(
            reverse("accounts:login"),
            {"username": f"probe{n}@example.com", "password": "wrong-password"},
        )
        refused.append(response.context["form"].has_error("__all__", code="rate_limited"))
    assert refused == [False, False, False, True, True]


def test_a_bad_trusted_proxy_setting_stops_the_start(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = os.environ | {"KOERS_TRUSTED_PROXIES": "10.0.0.0/33", "KOERS_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "koers.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "KOERS_TRUSTED_PROXIES" in result.stderr
