#!/usr/bin/env bash
# Install the Debian packages Koers needs when they are missing: venv, gettext (msgfmt),
# WeasyPrint's Pango, PostgreSQL 15 server binaries, Chromium for browser tests, poppler.
set -euo pipefail
packages=(python3-venv gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
          postgresql chromium poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
