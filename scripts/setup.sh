#!/usr/bin/env bash
# Installs the Debian and Python packages Passerelle needs (idempotent; needs root or sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need_apt=0
for pkg in libxlsxwriter-dev libfreexl-dev libsqlite3-dev libssl-dev pkg-config tidy libcurl4-openssl-dev python3-aiosmtpd; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt=1
done
if [ "$need_apt" -eq 1 ]; then
    $SUDO apt-get update
    $SUDO apt-get install -y libxlsxwriter-dev libfreexl-dev libsqlite3-dev libssl-dev pkg-config tidy \
        libcurl4-openssl-dev python3-aiosmtpd
fi
python3 -c "import openpyxl, python_calamine, html5lib, xlwt" >/dev/null 2>&1 \
    || python3 -m pip install --quiet openpyxl python-calamine html5lib xlwt
