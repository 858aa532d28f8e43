import pytest

from koers.aftercare.secret_shapes import looks_secret


@pytest.mark.parametrize(
    "text",
    [
        "password=Hunter2!",
        "Wachtwoord: Zomer2026!",
        "api_key = 9f8e7d6c5b4a",
        "token: abc123def456",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
        "-----BEGIN RSA PRIVATE KEY-----",
        "AWS: AKIAIOSFODNN7EXAMPLE",
        "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
        "xoxb-1234567890-abcdefghij",
        "sk-" + "A1b2C3d4E5f6G7h8I9j0K1l2",
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz",
    ],
)
def test_secrets_of_typical_shapes_are_seen(text):
    assert looks_secret(text)


@pytest.mark.parametrize(
    "text",
    [
        "The admin password is in the team vault, entry 'Portal admin'.",
        "Wachtwoorden staan in Bitwarden, collectie Beheer.",
        "password: Bitwarden",
        "API keys: in Azure Key Vault kv-portal-prod",
        "Tokens roteren elk kwartaal; eigenaar: Sam.",
        "Runbook: https://wiki.example.com/portal/runbook",
    ],
)
def test_where_a_secret_is_kept_is_not_a_secret(text):
    assert not looks_secret(text)
