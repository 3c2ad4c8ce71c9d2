#!/usr/bin/env bash
# Installs the Debian and Python packages Passerelle needs (idempotent; needs root or sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/packages.env
. scripts/packages.env
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need_apt=0
for pkg in $DEBIAN_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt=1
done
if [ "$need_apt" -eq 1 ]; then
    $SUDO apt-get update
    # shellcheck disable=SC2086
    $SUDO apt-get install -y $DEBIAN_PACKAGES
fi
python3 -c "import openpyxl, python_calamine, html5lib, xlwt" >/dev/null 2>&1 \
    || python3 -m pip install --quiet $PIP_PACKAGES
