/**
 * `npm run docs:erd`: draws docs/er_diagram.png (+ .svg) from what defines the tables, so the
 * diagram can never drift from them: raw and ops from the live schema after migrating it, marts
 * from the dbt manifest (`dbt parse`; every mart has an enforced contract, so the manifest holds
 * each column and its type). Graphviz (compiled to WebAssembly) lays it out and resvg rasterises
 * it: no system packages needed. tests/database/erd.test.ts regenerates the table list and
 * compares it with the committed diagram.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { Resvg } from '@resvg/resvg-js';
import pg from 'pg';
import { loadConfig, PROJECT_ROOT } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { runDbt } from '../../orchestration/src/transform/dbt.ts';
import { resolveDatabaseUrl } from './connection.ts';
import { configuredStageLogins } from './logins.ts';
import { migrate } from './migrate.ts';

export const ERD_FILE = path.join(PROJECT_ROOT, 'docs', 'er_diagram.png');
const SCHEMAS = ['raw', 'ops', 'marts'];
/** Schemas drawn from the live database; marts come from the dbt manifest. */
const LIVE_SCHEMAS = ['raw', 'ops'];
const COLORS: Record<string, string> = { raw: '#dbeafe', ops: '#fef3c7', marts: '#dcfce7' };

export interface Column {
  schema: string;
  table: string;
  column: string;
  type: string;
  pk: boolean;
}

interface Edge {
  from: string;
  to: string;
  column: string;
  declared: boolean;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Columns and declared foreign keys of the raw and ops tables. */
async function introspect(url: string): Promise<{ columns: Column[]; edges: Edge[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Parent tables only: monthly partitions are an implementation detail of raw.gl_lines.
    const { rows: columns } = await client.query<Column>(
      `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column,
              format_type(a.atttypid, a.atttypmod) AS type,
              coalesce(a.attnum = ANY (pk.conkey), false) AS pk
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
        WHERE n.nspname = ANY ($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        ORDER BY n.nspname, c.relname, a.attnum`,
      [LIVE_SCHEMAS],
    );
    const { rows: fks } = await client.query<{ from: string; to: string; column: string }>(
      `SELECT conrelid::regclass::text AS from, confrelid::regclass::text AS to,
              (SELECT string_agg(attname, ', ') FROM pg_attribute
                WHERE attrelid = conrelid AND attnum = ANY (conkey)) AS column
         FROM pg_constraint WHERE contype = 'f' AND connamespace::regnamespace::text = ANY ($1)`,
      [LIVE_SCHEMAS],
    );
    // the short spelling dbt's contracts use, so both halves of the diagram read alike
    for (const c of columns) c.type = c.type.replace('timestamp with time zone', 'timestamptz');
    return { columns, edges: fks.map((fk) => ({ ...fk, declared: true })) };
  } finally {
    await client.end();
  }
}

interface ManifestNode {
  resource_type: string;
  schema: string;
  name: string;
  alias?: string;
  config?: { materialized?: string };
  columns?: Record<string, { name: string; data_type?: string | null; constraints?: { type: string }[] }>;
  constraints?: { type: string; columns?: string[] }[];
}

/** The mart tables and their columns as dbt's manifest.json declares them (contract order). */
export function martColumns(manifest: { nodes: Record<string, ManifestNode> }): Column[] {
  const models = Object.values(manifest.nodes)
    .filter(
      (n) => n.resource_type === 'model' && n.schema === 'marts' && n.config?.materialized !== 'ephemeral',
    )
    .sort((a, b) => (a.alias ?? a.name).localeCompare(b.alias ?? b.name));
  return models.flatMap((model) => {
    const table = model.alias ?? model.name;
    const modelKey = new Set(model.constraints?.find((c) => c.type === 'primary_key')?.columns ?? []);
    return Object.values(model.columns ?? {}).map((c) => ({
      schema: 'marts',
      table,
      column: c.name,
      type: c.data_type ?? '',
      pk: modelKey.has(c.name) || (c.constraints ?? []).some((k) => k.type === 'primary_key'),
    }));
  });
}

/** Runs `dbt parse` into a temporary target directory and reads the manifest it writes. */
export async function parseDbtManifest(
  databaseUrl: string,
  log: Logger,
): Promise<{ nodes: Record<string, ManifestNode> }> {
  const targetPath = await mkdtemp(path.join(os.tmpdir(), 'erd-dbt-'));
  try {
    const result = await runDbt({
      databaseUrl,
      args: ['parse'],
      targetPath,
      logPath: path.join(targetPath, 'logs'),
      log,
    });
    if (result.exitCode !== 0)
      throw new Error(`dbt parse failed (exit ${result.exitCode}): ${result.output.trim()}`);
    return JSON.parse(await readFile(path.join(targetPath, 'manifest.json'), 'utf8')) as {
      nodes: Record<string, ManifestNode>;
    };
  } finally {
    await rm(targetPath, { recursive: true, force: true });
  }
}

/** Every table the diagram draws, with its columns and relationships. */
export async function erdModel(
  url: string,
  manifest: { nodes: Record<string, ManifestNode> },
): Promise<{ columns: Column[]; edges: Edge[] }> {
  const live = await introspect(url);
  const columns = [...live.columns, ...martColumns(manifest)];
  const edges = live.edges;
  // Marts have no foreign keys (dbt tables): a fact column that names a dimension's first
  // column refers to that dimension, drawn dashed. (Every raw row's batch_id refers to
  // ops.ingestion_batches; the caption says so instead of thirty crossing lines.)
  const dimensionKeys = new Map<string, string>();
  for (const [table, cols] of groupBy(columns, (c) => `${c.schema}.${c.table}`)) {
    if (table.startsWith('marts.dim_')) dimensionKeys.set(cols[0]!.column, table);
  }
  for (const c of columns) {
    const target = dimensionKeys.get(c.column);
    const from = `${c.schema}.${c.table}`;
    if (c.schema !== 'marts' || !target || target === from) continue;
    if (edges.some((e) => e.from === from && e.to === target)) continue;
    edges.push({ from, to: target, column: c.column, declared: false });
  }
  return { columns, edges };
}

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#45;/g, '-').replace(/&amp;/g, '&');

/**
 * What an SVG written by drawErd draws: "schema.table" → its "column type" lines, read back from
 * graphviz's output (each node is a <g class="node"> with a <title>, then the header and the
 * column name and type cells as <text>).
 */
export function tablesInSvg(svg: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const node of svg.split('<g id="node').slice(1)) {
    const title = /<title>([^<]+)<\/title>/.exec(node)?.[1];
    if (!title || !node.includes('class="node"')) continue;
    const texts = [...node.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => unescape(m[1]!));
    const cells = texts.slice(1); // the header repeats the title
    const columns: string[] = [];
    for (let i = 0; i + 1 < cells.length; i += 2) columns.push(`${cells[i]} ${cells[i + 1]}`);
    tables.set(unescape(title), columns);
  }
  return tables;
}

/** The same "schema.table" → "column type" lines for a model erdModel returns. */
export function tablesInModel(columns: Column[]): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const c of columns) {
    const key = `${c.schema}.${c.table}`;
    tables.set(key, [...(tables.get(key) ?? []), `${c.column} ${c.type}`]);
  }
  return tables;
}

const PER_ROW = 5;

/**
 * Tables sit in a grid, PER_ROW to a row, one block per schema in data-flow order (raw, ops,
 * marts); invisible edges hold the grid and the relationship edges do not move it.
 */
function toDot(columns: Column[], edges: Edge[]): string {
  const lines = [
    'digraph erd {',
    '  graph [rankdir=TB, fontname="DejaVu Sans", fontsize=22, nodesep=0.35, ranksep=0.45, pad=0.3, newrank=true,',
    '         label="energy-pipeline database: generated from the migrations (raw, ops) and the dbt manifest (marts) by npm run docs:erd\\n' +
      'every raw row carries batch_id -> ops.ingestion_batches; dashed: a mart column naming a dimension key", labelloc=t];',
    '  node [shape=plaintext, fontname="DejaVu Sans", fontsize=11];',
    '  edge [color="#64748b", arrowhead=crow, arrowtail=none];',
  ];
  let previousRowHead: string | undefined;
  for (const schema of SCHEMAS) {
    const tables = [
      ...groupBy(
        columns.filter((c) => c.schema === schema),
        (c) => c.table,
      ),
    ];
    if (tables.length === 0) continue;
    lines.push(
      `  subgraph cluster_${schema} { label="${schema}"; fontsize=20; style=rounded; color="#94a3b8";`,
    );
    for (const [table, cols] of tables) {
      const rows = cols
        .map(
          (c) =>
            `<tr><td align="left" port="${c.column}">${c.pk ? '<b>' : ''}${escape(c.column)}${c.pk ? '</b>' : ''}</td>` +
            `<td align="left"><font color="#475569">${escape(c.type)}</font></td></tr>`,
        )
        .join('');
      lines.push(
        `    "${schema}.${table}" [label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="3">` +
          `<tr><td colspan="2" bgcolor="${COLORS[schema]}"><b>${escape(`${schema}.${table}`)}</b></td></tr>${rows}</table>>];`,
      );
    }
    for (let i = 0; i < tables.length; i += PER_ROW) {
      const row = tables.slice(i, i + PER_ROW).map(([table]) => `"${schema}.${table}"`);
      lines.push(`    { rank=same; ${row.join('; ')}; }`);
      if (row.length > 1) lines.push(`    ${row.join(' -> ')} [style=invis];`);
      if (previousRowHead) lines.push(`    ${previousRowHead} -> ${row[0]} [style=invis, weight=10];`);
      previousRowHead = row[0];
    }
    lines.push('  }');
  }
  for (const e of edges) {
    lines.push(
      `  "${e.to}" -> "${e.from}" [style=${e.declared ? 'solid' : 'dashed'}, constraint=false, tooltip="${e.column}"];`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

export async function drawErd(
  url: string,
  manifest: { nodes: Record<string, ManifestNode> },
  outFile: string,
): Promise<void> {
  const { columns, edges } = await erdModel(url, manifest);
  const graphviz = await Graphviz.load();
  const svg = graphviz.dot(toDot(columns, edges));
  const png = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 1.5 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  await writeFile(outFile, png);
  await writeFile(outFile.replace(/\.png$/, '.svg'), svg);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const log = createLogger('erd');
  const config = loadConfig();
  const url = await resolveDatabaseUrl(log, config);
  await migrate(url, log, { logins: await configuredStageLogins(config) });
  await drawErd(url, await parseDbtManifest(url, log), ERD_FILE);
  log.info({ out: ERD_FILE }, 'ER diagram written');
  process.exit(0);
}
