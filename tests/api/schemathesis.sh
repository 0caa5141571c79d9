#!/usr/bin/env bash
# Property-based API test of the GL service against its own OpenAPI document: schemathesis
# generates valid and invalid requests for every operation (except the endless /get-gl stream)
# and fails on any 5xx, undocumented status, wrong content type or schema violation.
# Usage: tests/api/schemathesis.sh [extra schemathesis args]   (needs uvx: pip install uv)
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
if ! command -v uvx >/dev/null 2>&1; then
  echo "schemathesis.sh: uvx not found (pip install uv); CI installs it" >&2
  exit 1
fi

PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BASE="http://127.0.0.1:${PORT}"
LOG="$(mktemp)"
GL_API_PORT="$PORT" GL_WELLS=8 GL_AS_OF=2024-01-31 GL_API_TOKEN='' LOG_LEVEL=warn \
  node --import tsx tests/api/serve.ts >"$LOG" 2>&1 &
SERVER_PID=$!
cleanup() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -fsS "$BASE/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$BASE/health" >/dev/null || { echo "GL service did not start:"; cat "$LOG"; exit 1; }

status=0
uvx --from "schemathesis==${SCHEMATHESIS_VERSION}" schemathesis --config-file tests/api/schemathesis.toml \
  run "$BASE/openapi.json" \
  --exclude-path /get-gl \
  --checks all \
  --max-examples 40 \
  --seed 42 \
  --request-timeout 30 \
  --max-time 80 \
  "$@" || status=$?

if grep -q '"level":50' "$LOG"; then
  echo "server logged errors during the run:" >&2
  grep '"level":50' "$LOG" | head -20 >&2
  status=1
fi
exit "$status"
