#!/usr/bin/env bash
# energy-pipeline: set up and run the whole pipeline once, end to end. Idempotent: the first run
# installs and initialises, later runs reuse what is there and load only what is new.
# Everything it starts runs in a process group of its own and is stopped on any exit (success,
# failure, Ctrl-C); `--serve` leaves the services running on purpose and `--stop` ends them.
set -Eeuo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

usage() {
  cat <<'EOF'
Usage: ./run.sh [mode] [options]

Modes:
  (none)          set up, start the GL service, run the pipeline once (ingest -> transform ->
                  check -> report), print a summary, stop everything it started
  --serve         the same, then keep the GL service, the stream follower, the schedules and the
                  status page running in the background (stop them with ./run.sh --stop)
  --docker        the same pipeline with docker compose (needs a Docker engine); combine with
                  --serve to keep the orchestrator running, with --stop for docker compose down
  --stop          stop what --serve left running, and the embedded PostgreSQL
  --help          this text

Options:
  --skip-install  do not check Node/Python dependencies (faster reruns)
  --keep-db       leave the embedded PostgreSQL running after a one-off run

Configuration comes from .env (created from .env.example on the first run; variables already
set in the environment win). Without EIA_API_KEY, the real EIA data in ../shared/data/eia (or
EIA_REPLAY_DIR) is replayed offline and GL_AS_OF is pinned to the last day every replayed
dataset covers. Logs: .data/logs/. See README.md.
EOF
}

MODE=once
DOCKER=0
SKIP_INSTALL=0
KEEP_DB=0
for arg in "$@"; do
  case "$arg" in
    --help | -h) usage; exit 0 ;;
    --serve) MODE=serve ;;
    --docker) DOCKER=1 ;;
    --stop) MODE=stop ;;
    --skip-install) SKIP_INSTALL=1 ;;
    --keep-db) KEEP_DB=1 ;;
    *) echo "unknown argument: $arg (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=scripts/python-tools.sh
source scripts/python-tools.sh

# --- output -------------------------------------------------------------------------------------
if [ -t 1 ]; then
  BOLD=$'\e[1m' GREEN=$'\e[32m' RED=$'\e[31m' YELLOW=$'\e[33m' DIM=$'\e[2m' RESET=$'\e[0m'
else
  BOLD='' GREEN='' RED='' YELLOW='' DIM='' RESET=''
fi
now_ms() { if [ -n "${EPOCHREALTIME:-}" ]; then local t=${EPOCHREALTIME/[.,]/}; echo "${t:0:-3}"; else echo "$(($(date +%s) * 1000))"; fi; }
seconds_since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }
RUN_STARTED=$(now_ms)
STEP_NO=0
STEP_TOTAL=0
STEP_NAME=''
STEP_STARTED=0
STEP_LOG=''
info() { printf '      %s\n' "$*"; }
warn() { printf '      %s!%s %s\n' "$YELLOW" "$RESET" "$*"; }
step() { # name, log file that explains a failure of this step
  step_done
  STEP_NO=$((STEP_NO + 1))
  STEP_NAME=$1
  STEP_LOG=${2:-}
  STEP_STARTED=$(now_ms)
  printf '\n%s[%d/%d] %s%s\n' "$BOLD" "$STEP_NO" "$STEP_TOTAL" "$STEP_NAME" "$RESET"
}
step_done() {
  [ -n "$STEP_NAME" ] || return 0
  printf '      %s✓ %s%s %s(%s)%s\n' "$GREEN" "$STEP_NAME" "$RESET" "$DIM" "$(seconds_since "$STEP_STARTED")" "$RESET"
  STEP_NAME=''
}
die() { # message: a failure with an explanation (the step and its log are named by on_exit)
  printf '      %s✗ %s%s\n' "$RED" "$*" "$RESET" >&2
  exit 1
}

# --- processes ----------------------------------------------------------------------------------
# Each background service and each long foreground command runs in a process group of its own, so
# stopping it stops npm/tsx/node/dbt together and nothing is orphaned. Foreground commands run as a
# waited-for background job: a signal to run.sh is then handled at once, not after they finish.
GROUPS_STARTED=()
KEEP_RUNNING=0
DB_STARTED=0
# Run as `"${NEW_GROUP[@]}" cmd &` (a simple command, so $! is the group leader's pid).
# shellcheck disable=SC2016 # perl code, expanded by perl
if command -v setsid >/dev/null; then NEW_GROUP=(setsid); else NEW_GROUP=(perl -e 'setpgrp(0, 0); exec @ARGV or die "$ARGV[0]: $!"'); fi
stop_group() { # pgid [seconds]
  local pgid=$1 wait_s=${2:-10}
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for _ in $(seq 1 $((wait_s * 10))); do
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}
run_fg() { # command...: runs it in its own group, returns its exit status
  "${NEW_GROUP[@]}" "$@" &
  local pid=$!
  GROUPS_STARTED+=("$pid")
  local status=0
  wait "$pid" || status=$?
  return "$status"
}
run_logged() { # log file, command...: output only to the log; its tail is shown when it fails
  local log=$1
  shift
  if ! run_fg "$@" >>"$log" 2>&1; then
    tail -n 20 "$log" | sed 's/^/      | /' >&2
    return 1
  fi
}
# One readable line per event even off a terminal (CI); the full JSON records go to .data/logs/pipeline.log.
pipeline() { LOG_FORMAT=${LOG_FORMAT:-pretty} run_fg node --import tsx orchestration/src/cli.ts "$@"; }
pipeline_quiet() { node --import tsx orchestration/src/cli.ts "$@"; }

on_exit() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  if [ "$status" -ne 0 ] && [ -n "$STEP_NAME" ]; then
    printf '\n%s✗ step %d/%d "%s" failed%s after %s (exit %d)\n' "$RED$BOLD" "$STEP_NO" "$STEP_TOTAL" \
      "$STEP_NAME" "$RESET" "$(seconds_since "$STEP_STARTED")" "$status" >&2
    [ -n "$STEP_LOG" ] && printf '  log: %s\n' "$STEP_LOG" >&2
  fi
  if [ "$KEEP_RUNNING" = 0 ]; then
    for pgid in "${GROUPS_STARTED[@]}"; do stop_group "$pgid"; done
    rm -f "$RUN_DIR"/*.pid 2>/dev/null
    # The embedded server stays up for a --serve session started earlier, or with --keep-db.
    if [ "$DB_STARTED" = 1 ] && [ "$KEEP_DB" = 0 ] && [ -z "${DATABASE_URL:-}" ] && ! serving; then
      pipeline_quiet db stop >>"$LOG_DIR/run.log" 2>&1
    fi
  fi
  exit "$status"
}
serving() { [ -f "$RUN_DIR/serve.pid" ] && kill -0 -- "-$(cat "$RUN_DIR/serve.pid")" 2>/dev/null; }
on_signal() {
  printf '\n%sinterrupted%s: stopping what run.sh started\n' "$YELLOW" "$RESET" >&2
  exit 130
}

# --- environment --------------------------------------------------------------------------------
load_env() {
  [ -f .env ] || { cp .env.example .env; CREATED_ENV=1; }
  # Variables already in the environment win over .env (so `GL_WELLS=50 ./run.sh` works).
  local line key value
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    case "$line" in '' | \#*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    value=${value%\"}; value=${value#\"}
    [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    [ -n "${!key+x}" ] && continue
    export "$key=$value"
  done <.env
  DATA_DIR=$(mkdir -p "${PIPELINE_DATA_DIR:-.data}" && cd "${PIPELINE_DATA_DIR:-.data}" && pwd)
  LOG_DIR="$DATA_DIR/logs"
  RUN_DIR="$DATA_DIR/run"
  mkdir -p "$LOG_DIR" "$RUN_DIR"
}

check_prerequisites() {
  command -v node >/dev/null || die "Node.js >= 20.19 is required: https://nodejs.org (or nvm install 20)"
  local version
  version=$(node -p 'process.versions.node')
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' \
    || die "Node.js >= 20.19 is required, found $version (nvm install 20)"
  info "Node.js $version"
  command -v python3 >/dev/null || die "Python 3.11 or 3.12 is required for dbt (python3 not found)"
  local py
  py=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  case "$py" in 3.11 | 3.12) info "Python $py" ;; *) warn "Python $py found; dbt is pinned for 3.11/3.12 (uv picks one of those when installed)" ;; esac
  ensure_uv || die "uv could not be installed"
  info "uv $("$UV" --version | cut -d' ' -f2) ($UV)"
}

install_dependencies() {
  local log="$LOG_DIR/install.log"
  # npm writes node_modules/.package-lock.json on every install: older than the lockfile means
  # the lockfile changed since (or nothing was ever installed).
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    info "npm ci (first run, or package-lock.json changed)"
    run_logged "$log" npm ci --no-audit --no-fund
  else
    info "node_modules up to date with package-lock.json"
  fi
  run_logged "$log" "$UV" sync --project dbt --frozen
  info "dbt-core $(dbt/.venv/bin/python -c 'import importlib.metadata as m; print(m.version("dbt-core"))') in dbt/.venv (every command runs dbt from there)"
}

# --- sources ------------------------------------------------------------------------------------
http_ok() { node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$1" 2>/dev/null; }

wait_for_http() { # url, name, pid, log
  for _ in $(seq 1 240); do
    http_ok "$1" && return 0
    kill -0 "$3" 2>/dev/null || { tail -n 15 "$4" | sed 's/^/      | /' >&2; die "$2 exited during start-up"; }
    sleep 0.5
  done
  die "$2 did not answer at $1 within 120 s"
}

EIA_MODE=skipped
configure_eia() {
  if [ -n "${EIA_API_KEY:-}" ]; then
    EIA_MODE=live
    info "EIA_API_KEY is set: EIA data comes from ${EIA_BASE_URL:-https://api.eia.gov/v2}"
    return 0
  fi
  local dir=${EIA_REPLAY_DIR:-$ROOT/../shared/data/eia}
  if [ ! -d "$dir" ]; then
    warn "EIA data is skipped: no EIA_API_KEY and no replay data at $dir"
    warn "set EIA_API_KEY (free: https://www.eia.gov/opendata/register.php) or EIA_REPLAY_DIR in .env"
    warn "the GL part still runs and reports; EIA sections say \"EIA data not loaded\""
    return 0
  fi
  EIA_MODE=replay
  EIA_REPLAY_DIR=$(cd "$dir" && pwd)
  export EIA_REPLAY_DIR
  # The generator prices production off the same benchmarks the pipeline ingests.
  export GL_PRICE_DECK_DIR=${GL_PRICE_DECK_DIR:-$EIA_REPLAY_DIR}
  if [ -z "${GL_AS_OF:-}" ]; then
    # The ledger's year must end where every replayed dataset still has data: the prices run to
    # 2026-08 but state production ends 2024-01, so "today" is 2024-01-31 (see README).
    GL_AS_OF=$(node --import tsx scripts/replay-as-of.ts "$EIA_REPLAY_DIR")
    export GL_AS_OF
    info "GL_AS_OF=$GL_AS_OF: the last day every replayed EIA dataset (prices and state production) covers"
  else
    info "GL_AS_OF=$GL_AS_OF (from the environment)"
  fi
  info "no EIA_API_KEY: replaying the real EIA data in $EIA_REPLAY_DIR (offline, API v2 shape)"
}

start_gl_service() {
  export GL_API_PORT=${GL_API_PORT:-8000}
  export GL_API_URL=${GL_API_URL:-http://127.0.0.1:$GL_API_PORT}
  if http_ok "$GL_API_URL/health"; then
    info "already running at $GL_API_URL (reusing it)"
    return 0
  fi
  local log="$LOG_DIR/gl-api.log"
  "${NEW_GROUP[@]}" api/start.mjs >>"$log" 2>&1 &
  local pid=$!
  GROUPS_STARTED+=("$pid")
  echo "$pid" >"$RUN_DIR/gl-api.pid"
  wait_for_http "$GL_API_URL/health" "GL service" "$pid" "$log"
  info "GL service at $GL_API_URL (OpenAPI docs: $GL_API_URL/docs; log: $log)"
}

# --- modes --------------------------------------------------------------------------------------
run_pipeline() {
  step "Database: migrate" "$LOG_DIR/pipeline.log"
  DB_STARTED=1
  pipeline migrate
  info "$(pipeline_quiet db url)"

  step "Pipeline: ingest → transform → check → report, then the dbt docs" "$LOG_DIR/pipeline.log"
  if [ "$EIA_MODE" = skipped ]; then
    # `pipeline run` would fail on its EIA step; run the same steps without it.
    pipeline ingest gl
    pipeline transform
    pipeline check
    pipeline report
  else
    pipeline run
  fi
  # One file that opens from disk: dbt/target/static_index.html (compiles only, rebuilds nothing).
  LOG_FORMAT=${LOG_FORMAT:-pretty} run_fg node --import tsx scripts/dbt-docs.ts
}

summary() {
  step_done
  printf '\n%s%sSummary%s %s(total %s)%s\n' "$BOLD" "$GREEN" "$RESET" "$DIM" "$(seconds_since "$RUN_STARTED")" "$RESET"
  node --import tsx scripts/run-summary.ts --write "$RUN_DIR/last-summary.json" | sed 's/^/  /' || warn "the summary could not be read (see above); the run itself succeeded"
  printf '  logs       %s\n' "$LOG_DIR"
  if [ "$MODE" = serve ]; then
    printf '\n%sServing%s in the background (./run.sh --stop ends it)\n' "$BOLD" "$RESET"
    printf '  status page   %s/   (JSON: %s/api/status, metrics: %s/metrics)\n' "$STATUS_URL" "$STATUS_URL" "$STATUS_URL"
    printf '  GL service    %s   (docs: %s/docs, stream: %s/get-gl)\n' "$GL_API_URL" "$GL_API_URL" "$GL_API_URL"
    printf '  logs          %s/serve.log, %s/gl-api.log\n' "$LOG_DIR" "$LOG_DIR"
  elif [ "$KEEP_DB" = 0 ] && [ -z "${DATABASE_URL:-}" ] && ! serving; then
    printf '  database   stopped again (./run.sh --keep-db leaves it up; npm run pipeline -- db url starts it)\n'
  fi
}

start_serve() {
  step "Serve: follower, schedules, status page" "$LOG_DIR/serve.log"
  STATUS_URL="http://127.0.0.1:${PIPELINE_STATUS_PORT:-3000}"
  local url=$STATUS_URL
  if http_ok "$url/health"; then
    info "already serving at $url"
  else
    "${NEW_GROUP[@]}" node --import tsx orchestration/src/cli.ts serve >>"$LOG_DIR/serve.log" 2>&1 &
    local pid=$!
    GROUPS_STARTED+=("$pid")
    echo "$pid" >"$RUN_DIR/serve.pid"
    wait_for_http "$url/health" "pipeline serve" "$pid" "$LOG_DIR/serve.log"
  fi
  KEEP_RUNNING=1
  info "status page at $url/"
}

stop_all() {
  step "Stop"
  local file pid stopped=0
  for file in "$RUN_DIR"/*.pid; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if kill -0 -- "-$pid" 2>/dev/null; then
      stop_group "$pid"
      info "stopped $(basename "$file" .pid) (process group $pid)"
      stopped=1
    fi
    rm -f "$file"
  done
  [ "$stopped" = 1 ] || info "no service started by ./run.sh --serve was running"
  pipeline_quiet db stop
}

run_docker() {
  step "Prerequisites: Docker"
  command -v docker >/dev/null || die "docker is not installed; run ./run.sh without --docker"
  docker compose version >/dev/null 2>&1 || die "the docker compose plugin is missing (docker compose version)"
  docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info); run ./run.sh without --docker"
  step "Configuration"
  if [ -z "${EIA_API_KEY:-}" ]; then
    export EIA_REPLAY_DIR=${EIA_REPLAY_DIR:-$ROOT/../shared/data/eia}
    [ -d "$EIA_REPLAY_DIR" ] || die "no EIA_API_KEY and no replay data at $EIA_REPLAY_DIR: set one in .env"
    export GL_AS_OF=${GL_AS_OF:-$(node --import tsx scripts/replay-as-of.ts "$EIA_REPLAY_DIR" 2>/dev/null || echo 2024-01-31)}
    info "EIA replay from $EIA_REPLAY_DIR; GL_AS_OF=$GL_AS_OF"
  else
    export EIA_BASE_URL=${EIA_BASE_URL:-https://api.eia.gov/v2}
    info "EIA_API_KEY is set: live EIA API"
  fi
  step "docker compose: build images" "$LOG_DIR/docker.log"
  run_logged "$LOG_DIR/docker.log" docker compose build
  step "docker compose: PostgreSQL, GL service, EIA replay, migrate" "$LOG_DIR/docker.log"
  docker compose up --detach --wait postgres gl-api eia-replay
  docker compose run --rm migrate
  step "Pipeline in a container: ingest → transform → check → report"
  docker compose run --rm orchestrator run
  if [ "$MODE" = serve ]; then
    step "docker compose: orchestrator (serve)"
    docker compose up --detach --wait orchestrator
  fi
  step_done
  printf '\n%sDone%s. Reports: %s/reports/output/latest/   Stop: docker compose down\n' "$GREEN" "$RESET" "$ROOT"
}

main() {
  trap on_exit EXIT
  trap on_signal INT TERM
  CREATED_ENV=0
  load_env
  if [ "$DOCKER" = 1 ]; then
    if [ "$MODE" = stop ]; then docker compose down; return; fi
    STEP_TOTAL=$([ "$MODE" = serve ] && echo 6 || echo 5)
    run_docker
    return
  fi
  case "$MODE" in
    stop)
      STEP_TOTAL=1
      stop_all
      step_done
      return
      ;;
    once) STEP_TOTAL=4 ;;
    serve) STEP_TOTAL=5 ;;
  esac
  printf '%senergy-pipeline%s: %s\n' "$BOLD" "$RESET" \
    "$([ "$MODE" = serve ] && echo 'run once, then keep serving' || echo 'run the whole pipeline once')"

  step "Prerequisites and configuration" "$LOG_DIR/install.log"
  [ "$CREATED_ENV" = 1 ] && info "created .env from .env.example (edit it for your EIA key or your own PostgreSQL)"
  check_prerequisites
  if [ "$SKIP_INSTALL" = 1 ]; then info "--skip-install: dependencies not checked"; else install_dependencies; fi

  step "Sources: EIA and the GL data service" "$LOG_DIR/gl-api.log"
  configure_eia
  start_gl_service

  if serving; then
    # One process at a time runs the pipeline against a database; the --serve session owns it.
    STATUS_URL="http://127.0.0.1:${PIPELINE_STATUS_PORT:-3000}"
    [ "$MODE" = serve ] || die "a ./run.sh --serve session is running the pipeline (status: $STATUS_URL/); stop it with ./run.sh --stop first"
    info "already serving (status page $STATUS_URL/): nothing to start"
    KEEP_RUNNING=1
  else
    run_pipeline
    [ "$MODE" = serve ] && start_serve
  fi
  summary
}

main
