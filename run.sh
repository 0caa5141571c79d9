#!/usr/bin/env bash
# energy-pipeline: set up and run the whole pipeline once, end to end. Idempotent: the first run
# installs and initialises, later runs reuse what is there and load only what is new.
set -Eeuo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
LOG_DIR="$ROOT/.data/logs"

usage() {
  cat <<'EOF'
Usage: ./run.sh [mode] [options]

Modes:
  (none)          set up, start the services, run the pipeline once end to end, stop the services
  --serve         same set-up, then keep the GL service and the scheduler running (Ctrl-C stops)
  --docker        the same pipeline with docker compose (needs a Docker engine)
  --stop          stop what earlier runs left running (embedded PostgreSQL)
  --help          this text

Options:
  --skip-install  do not check Node/Python dependencies (faster re-runs)

Configuration comes from .env (created from .env.example on first run); see README.md.
Without EIA_API_KEY, real EIA data from ../shared/data/eia is served by the built-in replay
server and GL_AS_OF is pinned to the last day those prices cover.
EOF
}

MODE=once
SKIP_INSTALL=0
for arg in "$@"; do
  case "$arg" in
    --help | -h) usage; exit 0 ;;
    --serve) MODE=serve ;;
    --docker) MODE=docker ;;
    --stop) MODE=stop ;;
    --skip-install) SKIP_INSTALL=1 ;;
    *) echo "unknown argument: $arg (see ./run.sh --help)" >&2; exit 2 ;;
  esac
done

if [ -t 1 ]; then BOLD=$'\e[1m'; GREEN=$'\e[32m'; RED=$'\e[31m'; DIM=$'\e[2m'; RESET=$'\e[0m'; else BOLD= GREEN= RED= DIM= RESET=; fi
STARTED=$(date +%s)
step() { printf '\n%s==> %s%s\n' "$BOLD" "$*" "$RESET"; }
info() { printf '    %s\n' "$*"; }
die() { printf '%sERROR:%s %s\n' "$RED" "$RESET" "$*" >&2; exit 1; }

# Background services run in process groups of their own (setsid), so stopping one stops npm,
# tsx and node together instead of orphaning the server.
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'printf "%sFAILED%s at line %s (exit %s); logs: %s\n" "$RED" "$RESET" "$LINENO" "$?" "$LOG_DIR" >&2' ERR

pipeline() { npm run --silent pipeline -- "$@"; }

# --- environment --------------------------------------------------------------------------------
load_env() {
  if [ ! -f .env ]; then
    cp .env.example .env
    info "created .env from .env.example (edit it to use your EIA key or your own PostgreSQL)"
  fi
  # Variables already in the environment win over .env (so `GL_API_PORT=9000 ./run.sh` works).
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
}

check_prerequisites() {
  command -v node >/dev/null || die "Node.js >= 20 is required (https://nodejs.org)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version)"
  command -v python3 >/dev/null || die "Python 3 is required for dbt"
}

install_dependencies() {
  [ "$SKIP_INSTALL" = 1 ] && return 0
  step "Dependencies"
  local stamp=node_modules/.package-lock.sha
  local want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    info "npm ci (first run, or the lockfile changed)"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$want" >"$stamp"
  else
    info "node_modules up to date"
  fi
  if ! command -v uv >/dev/null; then
    info "installing uv (Python package manager for dbt)"
    python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
  fi
  uv sync --project dbt --frozen --quiet
  info "dbt environment ready ($(uv run --project dbt dbt --version 2>/dev/null | awk '/installed/ {print "dbt-core " $3; exit}'))"
}

# --- background services ------------------------------------------------------------------------
http_ok() { # url: answers 2xx
  node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$1" 2>/dev/null
}

wait_for_http() { # url, name, pid
  for _ in $(seq 1 120); do
    if http_ok "$1"; then
      return 0
    fi
    kill -0 "$3" 2>/dev/null || die "$2 exited during start-up; see $LOG_DIR"
    sleep 0.5
  done
  die "$2 did not answer at $1 within 60 s; see $LOG_DIR"
}

start_eia_source() {
  step "EIA source"
  if [ -n "${EIA_API_KEY:-}" ]; then
    info "EIA_API_KEY is set: using ${EIA_BASE_URL:-https://api.eia.gov/v2}"
    return 0
  fi
  EIA_REPLAY_DIR="${EIA_REPLAY_DIR:-$ROOT/../shared/data/eia}"
  [ -d "$EIA_REPLAY_DIR" ] || die "no EIA_API_KEY and no replay data at $EIA_REPLAY_DIR: set one of them in .env"
  EIA_REPLAY_DIR=$(cd "$EIA_REPLAY_DIR" && pwd)
  export EIA_REPLAY_DIR
  # The replayed prices end on a fixed day: the ledger is generated up to it, so they overlap.
  if [ -z "${GL_AS_OF:-}" ]; then
    GL_AS_OF=$(tail -n 1 "$EIA_REPLAY_DIR/wti-daily.csv" | cut -d, -f1 | tr -d '\r')
    export GL_AS_OF
  fi
  info "no EIA_API_KEY: ingestion replays the real EIA data in $EIA_REPLAY_DIR"
  info "through the built-in EIA API v2 replay server (npm run eia-replay serves it alone)"
  info "GL_AS_OF=$GL_AS_OF (last day of the replayed prices)"
}

start_gl_service() {
  step "GL data service"
  export GL_API_PORT="${GL_API_PORT:-8000}"
  export GL_API_URL="${GL_API_URL:-http://127.0.0.1:$GL_API_PORT}"
  if http_ok "$GL_API_URL/health"; then
    info "already running at $GL_API_URL (reusing it)"
    return 0
  fi
  setsid npm run --silent api >"$LOG_DIR/gl-api.log" 2>&1 &
  PIDS+=($!)
  wait_for_http "$GL_API_URL/health" "GL service" "$!"
  info "listening at $GL_API_URL (docs: $GL_API_URL/docs)"
}

# --- modes --------------------------------------------------------------------------------------
run_pipeline() {
  step "Database"
  pipeline migrate
  info "$(pipeline db url)"
  step "Pipeline: ingest EIA, ingest GL, transform (dbt build)"
  pipeline ingest eia
  pipeline ingest gl
  pipeline transform --docs
}

summary() {
  local elapsed=$(($(date +%s) - STARTED))
  printf '\n%s%sDone in %ss.%s\n' "$BOLD" "$GREEN" "$elapsed" "$RESET"
  info "database:  $(pipeline db url)"
  [ -d reports/output/latest ] && info "reports:   $ROOT/reports/output/latest/"
  info "logs:      $LOG_DIR"
  info "stop the embedded database with: ./run.sh --stop"
}

run_docker() {
  command -v docker >/dev/null || die "docker is not installed; run ./run.sh without --docker"
  docker info >/dev/null 2>&1 || die "no Docker engine answers; run ./run.sh without --docker"
  load_env
  step "docker compose: build and start services"
  docker compose up --build --detach postgres gl-api eia-replay
  step "docker compose: run the pipeline once"
  docker compose run --rm pipeline run
  printf '\n%sDone.%s Reports: %s/reports/output/latest/\n' "$GREEN" "$RESET" "$ROOT"
}

main() {
  mkdir -p "$LOG_DIR"
  case "$MODE" in
    docker) run_docker; return ;;
    stop)
      check_prerequisites
      load_env
      pipeline db stop
      return
      ;;
  esac
  step "energy-pipeline ($MODE)"
  check_prerequisites
  load_env
  install_dependencies
  start_eia_source
  start_gl_service
  run_pipeline
  summary
  if [ "$MODE" = serve ]; then
    step "Serving (Ctrl-C to stop)"
    pipeline serve
  fi
}

main
