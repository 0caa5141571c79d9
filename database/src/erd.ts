/**
 * `npm run docs:erd`: draws docs/er_diagram.png from the live schema (after migrating it), so the
 * diagram can never drift from the tables. Graphviz (compiled to WebAssembly) lays it out and
 * resvg rasterises it: no system packages needed.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { Resvg } from '@resvg/resvg-js';
import pg from 'pg';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { resolveDatabaseUrl } from './connection.ts';
import { migrate } from './migrate.ts';

const SCHEMAS = ['raw', 'ops', 'marts'];
const COLORS: Record<string, string> = { raw: '#dbeafe', ops: '#fef3c7', marts: '#dcfce7' };

interface Column {
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
      [SCHEMAS],
    );
    const { rows: fks } = await client.query<{ from: string; to: string; column: string }>(
      `SELECT conrelid::regclass::text AS from, confrelid::regclass::text AS to,
              (SELECT string_agg(attname, ', ') FROM pg_attribute
                WHERE attrelid = conrelid AND attnum = ANY (conkey)) AS column
         FROM pg_constraint WHERE contype = 'f' AND connamespace::regnamespace::text = ANY ($1)`,
      [SCHEMAS],
    );
    const edges: Edge[] = fks.map((fk) => ({ ...fk, declared: true }));
    // Marts have no declared keys (dbt tables): a fact column that names a dimension's first
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
  } finally {
    await client.end();
  }
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
    '         label="energy-pipeline database: generated from the live schema by npm run docs:erd\\n' +
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

export async function drawErd(url: string, outFile: string): Promise<void> {
  const { columns, edges } = await introspect(url);
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
  const url = await resolveDatabaseUrl(log);
  await migrate(url, log);
  const out = path.join(PROJECT_ROOT, 'docs', 'er_diagram.png');
  await drawErd(url, out);
  log.info({ out }, 'ER diagram written');
  process.exit(0);
}
