/**
 * Task: EIA API v2 → raw.eia_*, every catalog series (or the chosen ones) from its watermark minus
 * the look-back window, or exactly [from, to]. Wires the loader pool, the endpoint (live, custom or
 * the built-in replay) and the client; a failed series makes the Outcome failed, never a throw.
 */
import { timed, worstStatus, type Outcome } from '../../../core/outcome.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import {
  EiaClient,
  ingestEia as ingestEiaSeries,
  replayEiaArchive,
  resolveEiaEndpoint,
  type EiaSeries,
  type SeriesOutcome,
} from '../../../ingestion/src/eia/index.ts';
import type { Context } from '../context.ts';

export interface IngestEiaTaskOptions {
  from?: string;
  to?: string;
  series?: string[];
  /** Rebuild from the archived responses (raw.eia_responses) instead of calling EIA. */
  fromArchive?: boolean;
  /** Test hook: runs inside each series' transaction just before COMMIT. */
  beforeCommit?: (series: EiaSeries, batchId: number) => Promise<void>;
}

function summarize(outcomes: SeriesOutcome[]): Omit<Outcome, 'durationMs'> {
  const failed = outcomes.filter((o) => o.status === 'failed');
  const sum = (key: 'inserted' | 'revised' | 'unchanged' | 'quarantined' | 'received') =>
    outcomes.reduce((n, o) => n + (o.counts?.[key] ?? 0), 0);
  const counts = {
    series: outcomes.length,
    seriesFailed: failed.length,
    received: sum('received'),
    inserted: sum('inserted'),
    revised: sum('revised'),
    unchanged: sum('unchanged'),
    quarantined: sum('quarantined'),
  };
  const warned = outcomes.some((o) => o.warnings.length) || counts.quarantined > 0;
  const status = worstStatus([failed.length ? 'failed' : 'ok', warned ? 'warn' : 'ok']);
  const failures = failed.map((o) => `${o.series}: ${o.error ?? 'failed'}`);
  return {
    status,
    counts,
    message:
      `EIA: ${counts.series} series, ${counts.inserted} new, ${counts.revised} revised, ` +
      `${counts.quarantined} quarantined` +
      (failed.length ? `; ${failed.length} failed (${failures.join('; ')})` : ''),
    details: {
      failed: failures,
      warnings: outcomes.flatMap((o) => o.warnings.map((w) => `${o.series}: ${w}`)),
    },
  };
}

export async function ingestEia(ctx: Context, options: IngestEiaTaskOptions = {}): Promise<Outcome> {
  return timed(async () => {
    const url = await ctx.databaseUrl();
    const pool = createPool(url, { role: ROLES.loader, application: 'ingest-eia' });
    try {
      if (options.fromArchive) {
        return summarize(await replayEiaArchive({ pool, log: ctx.log, series: options.series }));
      }
      const endpoint = await resolveEiaEndpoint(ctx.config.eia, ctx.log);
      try {
        const client = new EiaClient({ baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey, log: ctx.log });
        const outcomes = await ingestEiaSeries({
          pool,
          client,
          log: ctx.log,
          series: options.series,
          from: options.from,
          to: options.to,
          beforeCommit: options.beforeCommit,
        });
        return summarize(outcomes);
      } finally {
        await endpoint.close();
      }
    } finally {
      await pool.end();
    }
  });
}
