/**
 * Task: GL service → raw.gl_*: reference data, then lines (incremental from the watermark, a
 * range, or the live stream). Wires the loader pool; the entry point's Outcome is the task's (a
 * failed chunk or an unreachable service is a failed Outcome). Invalid options throw.
 */
import type { Outcome } from '../../../core/outcome.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import {
  ingestGl as ingestGlLines,
  type GlIngestOptions,
  type GlMode,
} from '../../../ingestion/src/gl/index.ts';
import type { Context } from '../context.ts';

export type { GlMode };

export interface IngestGlTaskOptions extends Partial<Omit<GlIngestOptions, 'gl'>> {
  signal?: AbortSignal;
}

export async function ingestGl(ctx: Context, options: IngestGlTaskOptions = {}): Promise<Outcome> {
  const { signal, ...load } = options;
  const pool = createPool(await ctx.databaseUrl('loader'), {
    role: ROLES.loader,
    max: 4,
    application: 'gl-ingestion',
  });
  try {
    return await ingestGlLines(
      { pool, log: ctx.log, signal },
      {
        ...load,
        gl: ctx.config.gl,
        mode: load.mode ?? { kind: 'incremental' },
        // The configured reconnect cap and outage alert, unless the caller brings its own.
        follow: {
          alertAfterMs: ctx.config.ingestion.followAlertAfterS * 1000,
          retry: { maxDelayMs: ctx.config.ingestion.followMaxDelayS * 1000 },
          ...load.follow,
        },
      },
    );
  } finally {
    await pool.end();
  }
}
