# shellcheck shell=bash
# uv and dbt, found the same way by run.sh and .ci/run (and by orchestration/src/transform/dbt-command.ts
# for `pipeline transform`): dbt runs from the project's own dbt/.venv once `uv sync` made it, so
# nothing later depends on where uv was installed. Sourced, not executed.

# Prints the uv executable: PATH, pip's --user location, cargo's, or the one inside pip's uv package.
find_uv() {
  if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
  local candidate
  for candidate in "$HOME/.local/bin/uv" "$HOME/.cargo/bin/uv"; do
    if [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  python3 -c 'import uv; print(uv.find_uv_bin())' 2>/dev/null
}

# Sets UV to a working uv (installing it with pip when missing) and puts its folder on PATH for
# this script's children, so uvx (the schemathesis test) is found too.
ensure_uv() {
  UV=$(find_uv || true)
  if [ -z "$UV" ]; then
    command -v python3 >/dev/null 2>&1 || { echo "Python 3.11 or 3.12 is required for dbt (python3 not found)" >&2; return 1; }
    echo "    installing uv (the Python package manager dbt runs under) with pip"
    python3 -m pip install --quiet --user uv 2>/dev/null \
      || python3 -m pip install --quiet uv 2>/dev/null \
      || python3 -m pip install --quiet --break-system-packages uv \
      || { echo "could not install uv with pip; install it (https://docs.astral.sh/uv/) and rerun" >&2; return 1; }
    UV=$(find_uv || true)
    [ -n "$UV" ] || { echo "uv was installed but cannot be found; add $HOME/.local/bin to PATH" >&2; return 1; }
  fi
  export UV
  local dir
  dir=$(dirname "$UV")
  case ":$PATH:" in *":$dir:"*) ;; *) export PATH="$dir:$PATH" ;; esac
}

# The dbt every command runs (after `"$UV" sync --project dbt`).
dbt_bin() { echo "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/dbt/.venv/bin/dbt"; }
