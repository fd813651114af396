#!/usr/bin/env bash
# The live vote at forum sizes: benchmarks/live_votes.py for phones x topics, one markdown table.
#
#   benchmarks/matrix.sh [live_votes.py options…]
#       phones {1000, 3000} x topics {12, 60, 150}, each run one `barcamp run` on a fresh SQLite
#       database, join storm and reconnect storm (0.5) on (live_votes.py's defaults);
#       PHONES="1000 3000" and TOPICS="12 60 150" change the grid.
#   benchmarks/matrix.sh --scale-out [live_votes.py options…]
#       5,000 phones x 150 topics on 3 workers + PostgreSQL + Redis, that is
#         python benchmarks/live_votes.py --participants 5000 --topics 150 --processes 2 --client-cpus 1 \
#             --workers 3 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test \
#             --redis-url redis://127.0.0.1:6379/5 --json
#       DATABASE_URL and REDIS_URL replace those two: THROW-AWAY databases (emptied, flushed).
#       `test` is also the database of tests/scaleout and CI: not while a test suite runs.
#
# Every run gets BASE_ARGS first, then this script's arguments (argparse keeps the last of a
# repeated option, so they win). BASE_ARGS defaults to the 2-core machine's setting: 2 client
# processes pinned to CPU 1 and, on SQLite, the server pinned to CPU 0 (with --scale-out the
# workers, PostgreSQL and Redis float on both cores); BASE_ARGS="" for none. Each run's output is kept
# in $LOG_DIR (default: a new temporary folder); its JSON line in $LOG_DIR/runs.jsonl, from which
# the table is printed (also alone: benchmarks/matrix.sh --table $LOG_DIR/runs.jsonl).
# A run that fails gets a row saying so, and the next one runs.
set -u
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3

table() {
    "$PYTHON" - "$1" <<'EOF'
import json
import sys


def cell(value, unit=""):
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if unit == "s":
        return f"{value / 1000:.2f}"
    return f"{value:g}"


def bucket(value):
    if value is None:
        return "n/a"
    return value if isinstance(value, str) else f"≤ {value:g}"


rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
print("| phones × topics | setup | join ack p50 / p99 (s) | joins timed out | first join → last ack (s) "
      "| server join p99 (ms) | server CPU per join (ms) | vote ack p50 / p95 / p99 (ms) | server vote p99 (ms) "
      "| last vote → final tally (ms) | reconnect join p50 / p99 (s) | server RSS peak (MB) | lost / duplicated |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for f in rows:
    name = f"{f['participants']:,} × {f.get('topics', '?')}"
    if "failed" in f:
        print(f"| {name} | {f.get('setup', '')} | failed: {f['failed']} |" + " |" * 10)
        continue
    setup = f["database"] + (f", {f['workers']} workers" if f.get("workers", 1) > 1 else ", 1 process")
    rss = f.get("worker_rss_peak_mb") and " + ".join(cell(v) for v in f["worker_rss_peak_mb"]) \
        or cell(f["server_rss_peak_mb"])
    print(f"| {name} | {setup} | {cell(f['join_p50_ms'], 's')} / {cell(f['join_p99_ms'], 's')} "
          f"| {f['join_timed_out']} of {f['join_sent']} | {cell(f['join_first_to_last_ack_s'])} "
          f"| {bucket(f['server_join_p99_bucket_ms'])} | {cell(f['server_cpu_ms_per_join'])} "
          f"| {cell(f['ack_p50_ms'])} / {cell(f['ack_p95_ms'])} / {cell(f['ack_p99_ms'])} "
          f"| {bucket(f['server_ack_p99_bucket_ms'])} | {cell(f['last_vote_to_final_tally_ms'])} "
          f"| {cell(f.get('reconnect_join_p50_ms'), 's')} / {cell(f.get('reconnect_join_p99_ms'), 's')} "
          f"| {rss} | {f['lost']} / {f['duplicated']} |")
print()
print("n/a: the server's /metrics has no such histogram (barcamp_ack_latency_seconds by event); "
      "a '>' bucket is past the histogram's last bound; a timed-out join counts as +infinity in the percentiles.")
EOF
}

if [ "${1:-}" = "--table" ]; then
    table "$2"
    exit
fi

LOG_DIR=${LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/barcamp-matrix-XXXXXX")}
mkdir -p "$LOG_DIR"
RUNS="$LOG_DIR/runs.jsonl"

run_one() {  # phones topics setup-label [options…]
    local phones=$1 topics=$2 label=$3
    shift 3
    local log="$LOG_DIR/run-${phones}x${topics}.txt"
    echo "== ${phones} phones x ${topics} topics ($label): $log" >&2
    # shellcheck disable=SC2086  # BASE_ARGS is a list of options
    if "$PYTHON" benchmarks/live_votes.py --participants "$phones" --topics "$topics" $BASE_ARGS "$@" --json \
            >"$log" 2>&1; then
        tail -n 1 "$log" >>"$RUNS"
        sed -n '/^barcamp live vote benchmark/,/^{/p' "$log" | sed '$d' >&2
    else
        local why
        why=$(grep -v '^\s*$' "$log" | tail -n 1 | cut -c1-120 | tr '|' '/')
        "$PYTHON" -c 'import json, sys; print(json.dumps({"participants": int(sys.argv[1]), "topics": int(sys.argv[2]),
            "setup": sys.argv[3], "failed": sys.argv[4]}))' "$phones" "$topics" "$label" "$why" >>"$RUNS"
        echo "   failed: $why" >&2
    fi
}

if [ "${1:-}" = "--scale-out" ]; then
    shift
    DATABASE_URL=${DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
    REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/5}
    BASE_ARGS=${BASE_ARGS-"--processes 2 --client-cpus 1"}
    run_one 5000 150 "3 workers, PostgreSQL + Redis" --workers 3 --database-url "$DATABASE_URL" \
        --redis-url "$REDIS_URL" "$@"
else
    BASE_ARGS=${BASE_ARGS-"--processes 2 --server-cpus 0 --client-cpus 1"}
    for phones in ${PHONES:-1000 3000}; do
        for topics in ${TOPICS:-12 60 150}; do
            run_one "$phones" "$topics" "SQLite, 1 process" "$@"
        done
    done
fi

echo
table "$RUNS"
echo
echo "(runs kept in $LOG_DIR)"
