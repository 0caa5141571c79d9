# The pipeline image: Node (ingestion, orchestration, reports) + uv/dbt. The same commands CI
# runs; docker-compose.yml uses it for the `pipeline` and `eia-replay` services.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM node:20-bookworm-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 UV_LINK_MODE=copy PATH="/root/.local/bin:$PATH"
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && pip3 install --break-system-packages --no-cache-dir uv
WORKDIR /app
COPY dbt/pyproject.toml dbt/uv.lock dbt/
RUN uv sync --project dbt --frozen --no-install-project
COPY --from=deps /app/node_modules node_modules
COPY . .
RUN useradd --create-home pipeline && chown -R pipeline /app
USER pipeline
ENTRYPOINT ["npx", "tsx", "orchestration/src/cli.ts"]
CMD ["run"]
