/**
 * Everything the status page, /api/status, /metrics and `pipeline status` show, read through the
 * reporting role (ops run records, check results and marts; never raw: raw row counts come from
 * the catalog's estimates) plus, inside `serve`, live DBOS state (schedules, queue) and the
 * follower's state.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';

export interface StepRow {
  step: string;
  position: number;
  status: string;
  executions: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  counts: Record<string, number>;
  message: string | null;
}

export interface RunRow {
  run_id: number;
  workflow_id: string;
  command: string;
  trigger: string;
  status: string;
  started_at: string;
  finished_at: string | null;
  duration_s: number | null;
  error: string | null;
  recovery_attempts: number;
  steps: StepRow[];
}

export interface CheckRow {
  check_name: string;
  severity: string;
  status: string;
  observed: string | null;
  threshold: string | null;
  message: string | null;
  checked_at: string;
}

export interface FreshnessRow {
  dataset: string;
  status: string;
  observed: number | null;
  threshold: number | null;
  unit: string;
  message: string | null;
  checked_at: string;
}

export interface ScheduleInfo {
  name: string;
  cron: string;
  status: string;
  lastFiredAt: string | null;
  nextFireAt: string | null;
}

export interface FollowerInfo {
  state: string;
  since: string;
  restarts: number;
  lastError: string | null;
}

export interface LineageNode {
  id: string;
  name: string;
  layer: 'source' | 'staging' | 'intermediate' | 'marts' | 'reports';
  status: string;
  parents: string[];
}

export interface StatusData {
  generatedAt: string;
  lastRun: RunRow | null;
  runs: RunRow[];
  schedules: ScheduleInfo[];
  queue: { name: string; depth: number } | null;
  follower: FollowerInfo | null;
  checks: { runId: number | null; results: CheckRow[] };
  freshness: FreshnessRow[];
  rowCounts: Array<{ layer: string; relation: string; rows: number; exact: boolean }>;
  rowsLoaded: Array<{ source: string; entity: string; rows: number }>;
  runCounts: Array<{ command: string; status: string; runs: number }>;
  lineage: LineageNode[];
}

export interface LiveState {
  schedules?: () => Promise<ScheduleInfo[]>;
  queue?: () => Promise<{ name: string; depth: number }>;
  follower?: () => FollowerInfo;
}

async function runs(db: pg.Pool, limit: number): Promise<RunRow[]> {
  const { rows } = await db.query<RunRow>(
    `SELECT r.run_id::int, r.workflow_id, r.command, r.trigger, r.status,
            r.started_at, r.finished_at,
            round(extract(epoch FROM coalesce(r.finished_at, now()) - r.started_at)::numeric, 1)::float8 AS duration_s,
            r.error, r.recovery_attempts,
            coalesce((SELECT json_agg(s ORDER BY s.position)
                        FROM (SELECT step, position, status, executions, started_at, finished_at, duration_ms, counts, message
                                FROM ops.pipeline_steps WHERE run_id = r.run_id) s), '[]') AS steps
       FROM ops.pipeline_runs r
      ORDER BY r.run_id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

async function lastChecks(db: pg.Pool): Promise<StatusData['checks']> {
  const { rows } = await db.query<CheckRow & { run_id: number | null }>(
    `WITH last AS (SELECT run_id FROM ops.dq_results WHERE run_id IS NOT NULL ORDER BY result_id DESC LIMIT 1)
     SELECT d.run_id::int, d.check_name, d.severity, d.status, d.observed::text, d.threshold::text,
            d.details->>'message' AS message, d.checked_at
       FROM ops.dq_results d JOIN last USING (run_id)
      ORDER BY (d.status = 'fail') DESC, (d.severity = 'error') DESC, d.check_name`,
  );
  return { runId: rows[0]?.run_id ?? null, results: rows };
}

async function freshness(db: pg.Pool): Promise<FreshnessRow[]> {
  const { rows } = await db.query<FreshnessRow>(
    `SELECT DISTINCT ON (check_name)
            coalesce(details->>'dataset', substr(check_name, 11)) AS dataset, status,
            observed::float8 AS observed, threshold::float8 AS threshold,
            coalesce(details->>'unit', '') AS unit, details->>'message' AS message, checked_at
       FROM ops.dq_results WHERE check_name LIKE 'freshness:%'
      ORDER BY check_name, result_id DESC`,
  );
  return rows;
}

async function rowCounts(db: pg.Pool): Promise<StatusData['rowCounts']> {
  // Estimates from the catalog for raw and staging (the reporting role cannot read raw), exact for marts.
  const { rows } = await db.query<{ layer: string; relation: string; rows: string; kind: string }>(
    `SELECT n.nspname AS layer, coalesce(parent.relname, c.relname) AS relation,
            sum(greatest(pg_stat_get_live_tuples(c.oid), c.reltuples, 0))::bigint::text AS rows, max(c.relkind::text) AS kind
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
       LEFT JOIN pg_class parent ON parent.oid = i.inhparent
      WHERE n.nspname IN ('raw', 'staging', 'intermediate', 'marts') AND c.relkind IN ('r', 'v', 'p')
        AND NOT (c.relkind = 'p')
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const result: StatusData['rowCounts'] = [];
  for (const row of rows) {
    if (row.layer === 'marts' && row.kind === 'r') {
      const exact = await db
        .query<{ n: string }>(
          `SELECT count(*)::text AS n FROM marts.${row.relation.replace(/[^a-z0-9_]/g, '')}`,
        )
        .then((r) => Number(r.rows[0]!.n))
        .catch(() => undefined);
      result.push({
        layer: row.layer,
        relation: row.relation,
        rows: exact ?? Number(row.rows),
        exact: exact !== undefined,
      });
    } else if (row.kind === 'r') {
      result.push({ layer: row.layer, relation: row.relation, rows: Number(row.rows), exact: false });
    } else {
      result.push({ layer: row.layer, relation: row.relation, rows: -1, exact: false });
    }
  }
  return result;
}

async function lineage(targetPath: string | null): Promise<LineageNode[]> {
  if (!targetPath) return [];
  interface ManifestNode {
    resource_type: string;
    name: string;
    fqn: string[];
    depends_on?: { nodes?: string[] };
  }
  let manifest: {
    nodes: Record<string, ManifestNode>;
    sources: Record<string, { source_name: string; name: string }>;
  };
  try {
    manifest = JSON.parse(await readFile(path.join(targetPath, 'manifest.json'), 'utf8'));
  } catch {
    return [];
  }
  const status = new Map<string, string>();
  for (const file of ['run_results.json', 'sources.json']) {
    try {
      const json = JSON.parse(await readFile(path.join(targetPath, file), 'utf8')) as {
        results: Array<{ unique_id: string; status: string }>;
      };
      for (const r of json.results) status.set(r.unique_id, r.status);
    } catch {
      // a build with a selection writes no sources.json
    }
  }
  // A model's status includes its tests: a model whose test failed is shown as failing.
  const testsOf = new Map<string, string[]>();
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (node.resource_type !== 'test') continue;
    for (const parent of node.depends_on?.nodes ?? [])
      testsOf.set(parent, [...(testsOf.get(parent) ?? []), id]);
  }
  const withTests = (id: string, own: string): string => {
    const tests = (testsOf.get(id) ?? []).map((t) => status.get(t));
    if (tests.some((t) => t === 'fail' || t === 'error')) return 'test failed';
    if (tests.some((t) => t === 'warn') && (own === 'success' || own === 'pass')) return 'test warned';
    return own;
  };
  const nodes: LineageNode[] = [];
  for (const [id, source] of Object.entries(manifest.sources)) {
    const name = `${source.source_name}.${source.name}`;
    nodes.push({
      id,
      name,
      layer: 'source',
      status: withTests(id, status.get(id) ?? 'not checked'),
      parents: [],
    });
  }
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (node.resource_type !== 'model') continue;
    const layer = (['staging', 'intermediate', 'marts'].find((l) => node.fqn.includes(l)) ??
      'marts') as LineageNode['layer'];
    const own = status.get(id) ?? 'not run';
    const nodeStatus = own === 'success' ? withTests(id, own) : own;
    nodes.push({ id, name: node.name, layer, status: nodeStatus, parents: node.depends_on?.nodes ?? [] });
  }
  const marts = nodes.filter((n) => n.layer === 'marts').map((n) => n.id);
  nodes.push({
    id: 'reports',
    name: 'reports (xlsx + pdf)',
    layer: 'reports',
    status: 'reads marts',
    parents: marts,
  });
  return nodes;
}

export interface CollectOptions {
  /** Reporting-role pool. */
  db: pg.Pool;
  live?: LiveState;
  /** dbt target directory of a run, by run id (where its manifest and results are). */
  targetPathOf: (runId: number) => string;
  limit?: number;
}

export async function collectStatus(options: CollectOptions): Promise<StatusData> {
  const { db, live } = options;
  const recent = await runs(db, options.limit ?? 15);
  const [checks, fresh, counts, loaded, byStatus] = await Promise.all([
    lastChecks(db),
    freshness(db),
    rowCounts(db),
    db.query<{ source: string; entity: string; rows: string }>(
      `SELECT source, entity, rows_loaded::text AS rows FROM ops.report_rows_loaded ORDER BY 1, 2`,
    ),
    db.query<{ command: string; status: string; runs: string }>(
      `SELECT command, status, count(*)::text AS runs FROM ops.pipeline_runs GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
  ]);
  const built = recent.find((r) => r.steps.some((s) => s.step === 'transform' && s.status !== 'running'));
  return {
    generatedAt: new Date().toISOString(),
    lastRun: recent.find((r) => r.status !== 'skipped') ?? null,
    runs: recent,
    schedules: (await live?.schedules?.()) ?? [],
    queue: (await live?.queue?.()) ?? null,
    follower: live?.follower?.() ?? null,
    checks,
    freshness: fresh,
    rowCounts: counts,
    rowsLoaded: loaded.rows.map((r) => ({ source: r.source, entity: r.entity, rows: Number(r.rows) })),
    runCounts: byStatus.rows.map((r) => ({ command: r.command, status: r.status, runs: Number(r.runs) })),
    lineage: await lineage(built ? options.targetPathOf(built.run_id) : null),
  };
}
