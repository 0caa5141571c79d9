/**
 * Task: EIA API v2 → raw.eia_*, every catalog series (or the chosen ones) from its watermark minus
 * the look-back window, or exactly [from, to]. Wires the loader pool, the endpoint (live, custom or
 * the built-in replay) and the client; the entry point's Outcome is the task's (a failed series
 * fails it, never a throw).
 */
import type { Outcome } from '../../../core/outcome.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import {
  EiaClient,
  ingestEia as ingestEiaSeries,
  replayEiaArchive,
  resolveEiaEndpoint,
  type IngestEiaOptions,
} from '../../../ingestion/src/eia/index.ts';
import type { Context } from '../context.ts';

export interface IngestEiaTaskOptions extends IngestEiaOptions {
  /** Rebuild from the archived responses (raw.eia_responses) instead of calling EIA. */
  fromArchive?: boolean;
  signal?: AbortSignal;
}

export async function ingestEia(ctx: Context, options: IngestEiaTaskOptions = {}): Promise<Outcome> {
  const { fromArchive, signal, ...load } = options;
  const pool = createPool(await ctx.databaseUrl('loader'), { role: ROLES.loader, application: 'ingest-eia' });
  try {
    if (fromArchive) return await replayEiaArchive({ pool, log: ctx.log, signal }, { series: load.series });
    const endpoint = await resolveEiaEndpoint(ctx.config.eia, ctx.log);
    try {
      const client = new EiaClient({ baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey, log: ctx.log });
      return await ingestEiaSeries({ pool, client, log: ctx.log, signal }, load);
    } finally {
      await endpoint.close();
    }
  } finally {
    await pool.end();
  }
}
