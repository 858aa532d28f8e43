"""Every user-facing string has its Dutch translation; English is the source language."""

import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

PACKAGE = Path(__file__).resolve().parents[2]
CATALOG = "locale/nl/LC_MESSAGES/django.po"


def _messages(po: Path, *flags: str) -> list[str]:
    """Return the catalog's entries that msgattrib selects with `flags`, header left out."""
    result = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [entry for entry in result.stdout.split("\n\n")[1:] if entry.strip()]


def test_makemessages_leaves_nothing_untranslated_or_fuzzy(tmp_path, monkeypatch):
    # Extract into a copy, so the committed catalog is compared, never rewritten.
    copy = tmp_path / "koers"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["nl"], no_obsolete=True, verbosity=0)
    po = copy / CATALOG
    untranslated = _messages(po, "--untranslated")
    fuzzy = _messages(po, "--only-fuzzy")
    assert not untranslated, f"{len(untranslated)} untranslated in nl:\n" + "\n".join(untranslated)
    assert not fuzzy, f"{len(fuzzy)} fuzzy in nl:\n" + "\n".join(fuzzy)


def test_dutch_is_the_default_and_english_follows_the_browser(client, db):
    dutch = client.get("/accounts/login/")
    english = client.get("/accounts/login/", headers={"accept-language": "en"})
    assert '<html lang="nl">' in dutch.content.decode()
    assert "Inloggen" in dutch.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Log in to Koers" in english.content.decode()
