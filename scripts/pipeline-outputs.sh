#!/usr/bin/env bash
# Runs every shipped pipeline on sample-data/ at a fixed clock, into a fresh folder, and prints a digest of
# every file written and of the store's content: run it before and after a change to the engine or a stage and
# diff the two listings (`diff <(scripts/pipeline-outputs.sh BIN_A /tmp/a) <(scripts/pipeline-outputs.sh BIN_B /tmp/b)`).
# Usage: scripts/pipeline-outputs.sh [PASSERELLE_BINARY] [FOLDER]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/passerelle}"
dir="${2:-$(mktemp -d)}"
rm -rf "$dir" && mkdir -p "$dir"
store="$dir/store.sqlite"
run() { "$bin" run "$@" --store "$store" --output "$dir/out" --jobs 2 >"$dir/log-$(basename "$1" .yml).txt" 2>&1 || true; }
run pipelines/daily-import.yml --as-of 2027-03-05T06:00:00Z
run pipelines/monthly-commissions.yml --as-of 2027-03-05T07:00:00Z --var month=2027-02
run pipelines/office-reports.yml --as-of 2027-03-05T08:00:00Z
run pipelines/catalogue-pricing.yml --as-of 2027-03-05T09:00:00Z
run pipelines/channel-sync.yml --as-of 2027-03-05T10:00:00Z
(cd "$dir/out" && find . -type f | LC_ALL=C sort | while read -r f; do echo "$(sha256sum "$f" | cut -c1-16) $f"; done)
python3 - "$store" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (table,) in db.execute("select name from sqlite_master where type='table' order by name"):
    rows = db.execute(f'select * from "{table}"').fetchall()
    digest = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()[:16]
    print(f"{digest} table {table}: {len(rows)} rows")
PY
