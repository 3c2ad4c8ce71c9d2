#!/usr/bin/env bash
# Sets everything up and runs the daily import on sample-data/ (README's first command).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release
.build/release/passerelle check pipelines/*.yml
.build/release/passerelle run pipelines/daily-import.yml "$@"
.build/release/passerelle history
