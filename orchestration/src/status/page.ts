/**
 * The status page: server-rendered HTML with its stylesheet inline; no JavaScript and nothing from
 * the internet, so it works on an air-gapped host and in any browser. It refreshes itself every
 * 15 seconds with a meta refresh.
 */
import type { CheckRow, LineageNode, RunRow, StatusData } from './collect.ts';

const esc = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const TONE: Record<string, string> = {
  succeeded: 'ok',
  ok: 'ok',
  pass: 'ok',
  success: 'ok',
  following: 'ok',
  streaming: 'ok',
  connecting: 'run',
  warned: 'warn',
  warn: 'warn',
  'test warned': 'warn',
  skipped: 'muted',
  'not run': 'muted',
  'not checked': 'muted',
  'reads marts': 'muted',
  failed: 'bad',
  fail: 'bad',
  error: 'bad',
  'runtime error': 'bad',
  'test failed': 'bad',
  reconnecting: 'warn',
  running: 'run',
  ACTIVE: 'ok',
  PAUSED: 'muted',
};
const badge = (status: string, label = status) =>
  `<span class="badge ${TONE[status] ?? 'muted'}">${esc(label)}</span>`;

function time(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return `<time datetime="${esc(d.toISOString())}">${esc(d.toISOString().replace('T', ' ').slice(0, 19))}</time>`;
}

function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${Math.round(seconds % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

const num = (n: number) => n.toLocaleString('en-US');

/** Long texts (a dbt build's problems) are cut; the whole text is in the tooltip. */
const clamp = (text: string | null | undefined, max = 260): string => {
  const value = text ?? '';
  return value.length <= max ? esc(value) : `<span title="${esc(value)}">${esc(value.slice(0, max))}…</span>`;
};

function stepsTable(run: RunRow): string {
  if (!run.steps.length) return '<p class="muted">no steps recorded</p>';
  return `<table class="steps"><thead><tr><th>#</th><th>step</th><th>status</th><th>duration</th><th>executions</th><th>outcome</th></tr></thead><tbody>${run.steps
    .map(
      (s) =>
        `<tr><td>${s.position}</td><td class="nowrap">${esc(s.step)}</td><td>${badge(s.status)}</td><td class="num">${duration(
          s.duration_ms === null ? null : s.duration_ms / 1000,
        )}</td><td class="num">${s.executions}${s.executions > 1 ? ' <span class="note">restarted</span>' : ''}</td><td class="msg">${clamp(s.message)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function runsSection(data: StatusData): string {
  if (!data.runs.length) return '<p class="muted">No runs yet: <code>npm run pipeline -- run</code>.</p>';
  const rows = data.runs
    .map((run, i) => {
      const open = i === 0 || run === data.lastRun ? ' open' : '';
      const summary = `<summary><span class="id">#${run.run_id}</span> <strong>${esc(run.command)}</strong> ${badge(run.status)} <span class="muted">${esc(run.trigger)} · ${time(run.started_at)} · ${duration(run.duration_s)}${run.recovery_attempts ? ` · recovered ${run.recovery_attempts}×` : ''}</span>${run.error ? `<div class="error">${clamp(run.error, 200)}</div>` : ''}</summary>`;
      return `<details class="run"${open}>${summary}<div class="wf">workflow <code>${esc(run.workflow_id)}</code>${run.status === 'failed' ? ` · retry: <code>npm run pipeline -- retry ${esc(run.run_id)}</code>` : ''}</div>${stepsTable(run)}</details>`;
    })
    .join('');
  return rows;
}

const CHECK_COLUMNS =
  '<colgroup><col style="width:34%"><col style="width:7%"><col style="width:6%"><col style="width:8%"><col style="width:8%"><col></colgroup>' +
  '<thead><tr><th>check</th><th>severity</th><th>result</th><th>observed</th><th>threshold</th><th>detail</th></tr></thead>';

function checksSection(data: StatusData): string {
  const { results, runId } = data.checks;
  if (!results.length) return '<p class="muted">No checks recorded yet.</p>';
  const failed = results.filter((c) => c.status === 'fail');
  const row = (c: CheckRow) =>
    `<tr class="${c.status === 'fail' ? (c.severity === 'error' ? 'row-bad' : 'row-warn') : ''}"><td>${esc(c.check_name)}</td><td>${badge(
      c.severity === 'error' ? 'error' : 'warn',
      c.severity,
    )}</td><td>${badge(c.status)}</td><td class="num">${esc(c.observed ?? '—')}</td><td class="num">${esc(c.threshold ?? '—')}</td><td class="msg">${clamp(c.message)}</td></tr>`;
  const passed = results.length - failed.length;
  return `<p>Run #${esc(runId)}: <strong>${failed.length}</strong> failed (${failed.filter((c) => c.severity === 'error').length} error, ${failed.filter((c) => c.severity === 'warn').length} warning), ${passed} passed. Failures first; errors block reports, warnings never do.</p>
  <table class="checks">${CHECK_COLUMNS}<tbody>${failed.map(row).join('')}</tbody></table>
  <details><summary>${passed} passing checks</summary><table class="checks">${CHECK_COLUMNS}<tbody>${results
    .filter((c) => c.status !== 'fail')
    .map(row)
    .join('')}</tbody></table></details>`;
}

function freshnessSection(data: StatusData): string {
  if (!data.freshness.length) return '<p class="muted">No freshness checked yet.</p>';
  const fmt = (v: number | null, unit: string) =>
    v === null ? '—' : unit === 'seconds' ? duration(v) : `${num(v)} ${esc(unit)}`;
  return `<table id="freshness"><colgroup><col style="width:16%"><col style="width:8%"><col style="width:11%"><col style="width:11%"><col><col style="width:15%"></colgroup><thead><tr><th>dataset</th><th>status</th><th>age</th><th>target</th><th>detail</th><th>checked</th></tr></thead><tbody>${data.freshness
    .map(
      (f) =>
        `<tr><td>${esc(f.dataset)}</td><td>${badge(f.status === 'pass' ? 'ok' : 'warn', f.status === 'pass' ? 'fresh' : 'stale')}</td><td class="num">${fmt(f.observed, f.unit)}</td><td class="num">${fmt(f.threshold, f.unit)}</td><td class="msg">${esc(f.message ?? '')}</td><td>${time(f.checked_at)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function countsSection(data: StatusData): string {
  const layers = ['raw', 'staging', 'intermediate', 'marts'];
  return `<div class="layers">${layers
    .map((layer) => {
      const rows = data.rowCounts.filter((r) => r.layer === layer);
      const total = rows.filter((r) => r.rows >= 0).reduce((n, r) => n + r.rows, 0);
      return `<div class="layer"><h3>${layer} <span class="muted">${rows.some((r) => r.rows >= 0) ? `${rows.some((r) => !r.exact && r.rows >= 0) ? '≈' : ''}${num(total)} rows` : 'views'}</span></h3><table class="compact"><tbody>${rows
        .map(
          (r) =>
            `<tr><td>${esc(r.relation)}</td><td class="num">${r.rows < 0 ? '<span class="muted">view</span>' : `${r.exact ? '' : '≈'}${num(r.rows)}`}</td></tr>`,
        )
        .join('')}</tbody></table></div>`;
    })
    .join(
      '',
    )}</div><p class="muted small">≈: the catalog's estimate (raw is not readable by the reporting role this page uses); marts are counted exactly.</p>`;
}

function lineageSection(nodes: LineageNode[]): string {
  if (!nodes.length) return '<p class="muted">No dbt manifest yet (no transform has run).</p>';
  const layers: LineageNode['layer'][] = ['source', 'staging', 'intermediate', 'marts', 'reports'];
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  return `<div class="lineage">${layers
    .map(
      (layer) =>
        `<div class="col"><h3>${layer === 'source' ? 'sources (raw)' : layer}</h3>${nodes
          .filter((n) => n.layer === layer)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(
            (n) =>
              `<div class="node ${TONE[n.status] ?? 'muted'}" title="${esc(
                n.parents.length ? `from: ${n.parents.map((p) => names.get(p) ?? p).join(', ')}` : n.name,
              )}"><span class="name">${esc(n.name)}</span><span class="st">${esc(n.status)}</span></div>`,
          )
          .join('')}</div>`,
    )
    .join('<div class="arrow">→</div>')}</div>`;
}

function schedulesSection(data: StatusData): string {
  const queue = data.queue
    ? `<p>Queue <code>${esc(data.queue.name)}</code>: <strong>${data.queue.depth}</strong> workflow(s) queued or running (concurrency 1: dbt never runs twice at once).</p>`
    : '';
  const follower = data.follower
    ? `<p>GL stream follower: ${badge(data.follower.state)} since ${time(data.follower.since)}${data.follower.restarts ? `, restarted ${data.follower.restarts}×` : ''}${data.follower.lastError ? ` — <span class="error-inline">${esc(data.follower.lastError)}</span>` : ''}</p>`
    : '';
  if (!data.schedules.length)
    return `${queue}${follower}<p class="muted">Schedules run inside <code>pipeline serve</code>; this page was not started by it.</p>`;
  return `${follower}${queue}<table><thead><tr><th>schedule</th><th>cron (UTC)</th><th>status</th><th>last fired</th><th>next fire</th></tr></thead><tbody>${data.schedules
    .map(
      (s) =>
        `<tr><td>${esc(s.name)}</td><td><code>${esc(s.cron)}</code></td><td>${badge(s.status)}</td><td>${time(s.lastFiredAt)}</td><td>${time(s.nextFireAt)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1d2330;--muted:#6b7280;--line:#e5e7eb;--ok:#15803d;--ok-bg:#dcfce7;--warn:#a16207;--warn-bg:#fef3c7;--bad:#b91c1c;--bad-bg:#fee2e2;--run:#1d4ed8;--run-bg:#dbeafe}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--ink)}
header{background:#111827;color:#f9fafb;padding:14px 28px;display:flex;align-items:baseline;gap:18px;flex-wrap:wrap}
header h1{font-size:18px;margin:0;font-weight:650}header .muted{color:#9ca3af}
main{padding:20px 28px;display:grid;gap:18px;grid-template-columns:repeat(12,1fr);max-width:1500px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 18px;grid-column:span 12;min-width:0}
section.half{grid-column:span 6}@media(max-width:1000px){section.half{grid-column:span 12}}
h2{font-size:15px;margin:0 0 10px;font-weight:650}h3{font-size:13px;margin:0 0 6px;font-weight:600}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;grid-column:span 12}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}.card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card .value{font-size:20px;font-weight:650;margin-top:4px}
table{border-collapse:collapse;width:100%;font-size:13px}table.checks{table-layout:fixed}table.checks td{overflow-wrap:anywhere}
#freshness{table-layout:fixed}#freshness td{overflow-wrap:anywhere}th{text-align:left;color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);padding:5px 8px}
td{border-bottom:1px solid var(--line);padding:5px 8px;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.msg{color:#374151}
table.compact td{padding:2px 6px}table.steps{margin:6px 0 4px}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.ok{background:var(--ok-bg);color:var(--ok)}.badge.warn{background:var(--warn-bg);color:var(--warn)}.badge.bad{background:var(--bad-bg);color:var(--bad)}.badge.run{background:var(--run-bg);color:var(--run)}.badge.muted{background:#f3f4f6;color:var(--muted)}
tr.row-bad td{background:#fff5f5}tr.row-warn td{background:#fffbeb}
details.run{border:1px solid var(--line);border-radius:8px;padding:8px 12px;margin-bottom:8px}details.run[open]{background:#fcfcfd}
summary{cursor:pointer}.id{color:var(--muted);font-variant-numeric:tabular-nums}.wf{color:var(--muted);font-size:12px;margin:6px 0}
.error{color:var(--bad);margin:4px 0 0 18px;font-size:13px}.error-inline{color:var(--bad)}.note{color:var(--warn);font-size:11px}
.nowrap{white-space:nowrap}.muted{color:var(--muted)}.small{font-size:12px}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f4f6;padding:1px 5px;border-radius:4px}
.layers{display:grid;grid-template-columns:repeat(4,1fr);gap:14px}@media(max-width:1000px){.layers{grid-template-columns:repeat(2,1fr)}}
.lineage{display:flex;gap:6px;align-items:flex-start;overflow-x:auto}.lineage .col{flex:1;min-width:170px}.lineage .arrow{color:var(--muted);padding-top:24px;font-size:18px}
.node{border:1px solid var(--line);border-left:4px solid #d1d5db;border-radius:6px;padding:3px 8px;margin-bottom:4px;font-size:12px;display:flex;justify-content:space-between;gap:6px}
.node.ok{border-left-color:var(--ok)}.node.warn{border-left-color:#d97706;background:#fffbeb}.node.bad{border-left-color:var(--bad);background:#fff5f5}
.node .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.node .st{color:var(--muted);white-space:nowrap}
`;

export function renderPage(data: StatusData): string {
  const last = data.lastRun;
  const failedChecks = data.checks.results.filter((c) => c.status === 'fail');
  const errors = failedChecks.filter((c) => c.severity === 'error').length;
  const stale = data.freshness.filter((f) => f.status !== 'pass').length;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="15"><title>energy-pipeline status</title><style>${STYLE}</style></head>
<body><header><h1>energy-pipeline · status</h1><span class="muted">generated ${time(data.generatedAt)} UTC · refreshes every 15 s · <a href="/api/status" style="color:#93c5fd">JSON</a> · <a href="/metrics" style="color:#93c5fd">metrics</a></span></header>
<main>
<div class="cards">
  <div class="card"><div class="label">last run</div><div class="value">${last ? `${esc(last.command)} ${badge(last.status)}` : '—'}</div><div class="muted small">${last ? `#${last.run_id} · ${time(last.started_at)}` : 'no runs yet'}</div></div>
  <div class="card"><div class="label">failed checks</div><div class="value">${errors ? badge('failed', `${errors} error`) : badge('ok', '0 errors')} ${failedChecks.length - errors ? badge('warn', `${failedChecks.length - errors} warning`) : ''}</div><div class="muted small">of ${data.checks.results.length} in run #${esc(data.checks.runId ?? '—')}</div></div>
  <div class="card"><div class="label">freshness</div><div class="value">${stale ? badge('warn', `${stale} stale`) : badge('ok', 'all fresh')}</div><div class="muted small">${data.freshness.length} datasets checked</div></div>
  <div class="card"><div class="label">follower · queue</div><div class="value">${data.follower ? badge(data.follower.state) : '<span class="muted">—</span>'} ${data.queue ? `<span class="small">${data.queue.depth} queued</span>` : ''}</div><div class="muted small">${data.schedules.length ? `${data.schedules.length} schedules active` : 'not serving'}</div></div>
</div>
<section id="runs"><h2>Recent runs</h2>${runsSection(data)}</section>
<section id="checks"><h2>Checks of the last run</h2>${checksSection(data)}</section>
<section id="freshness-section"><h2>Freshness against target</h2>${freshnessSection(data)}</section>
<section id="schedules"><h2>Schedules, queue and follower</h2>${schedulesSection(data)}</section>
<section id="counts"><h2>Row counts per layer</h2>${countsSection(data)}</section>
<section id="lineage"><h2>Lineage</h2><p class="muted small">sources → raw → dbt models → reports, from the dbt manifest of the last build, each node with its status in that build (a model whose test failed shows it). Hover a node for its parents.</p>${lineageSection(data.lineage)}</section>
</main></body></html>`;
}
