/**
 * Task: GL service → raw.gl_*: reference data, then lines (incremental from the watermark, a
 * range, or the live stream). A failed chunk or an unreachable service is a failed Outcome.
 */
import { timed, type Outcome } from '../../../core/outcome.ts';
import { ingestGl as ingestGlLines, type GlMode } from '../../../ingestion/src/gl/index.ts';
import type { BackfillProgress } from '../../../ingestion/src/gl/backfill.ts';
import type { Context } from '../context.ts';

export type { GlMode };

export interface IngestGlTaskOptions {
  mode?: GlMode;
  /** Load wells, owners, accounts and AFEs first (default true). */
  reference?: boolean;
  batchLines?: number;
  signal?: AbortSignal;
  onProgress?: (progress: BackfillProgress) => void;
}

export async function ingestGl(ctx: Context, options: IngestGlTaskOptions = {}): Promise<Outcome> {
  const mode = options.mode ?? { kind: 'incremental' };
  return timed(async () => {
    try {
      const result = await ingestGlLines({
        databaseUrl: await ctx.databaseUrl(),
        gl: ctx.config.gl,
        log: ctx.log,
        mode,
        reference: options.reference,
        batchLines: options.batchLines,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      const counts = {
        batches: result.batches,
        received: result.lines.received,
        inserted: result.lines.inserted,
        unchanged: result.lines.unchanged,
        quarantined: result.lines.quarantined,
        referenceInserted: result.reference?.inserted ?? 0,
      };
      const range = result.range ? `${result.range.from}..${result.range.to}` : 'up to date';
      return {
        status: counts.quarantined > 0 ? 'warn' : 'ok',
        counts,
        message:
          `GL ${mode.kind} (${range}): ${counts.inserted} lines new, ${counts.unchanged} unchanged, ` +
          `${counts.quarantined} quarantined in ${counts.batches} batches`,
        details: { mode: mode.kind, range: result.range ?? null },
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      ctx.log.error({ err: error, mode: mode.kind }, `GL ingestion failed: ${message}`);
      return {
        status: 'failed',
        counts: {},
        message: `GL ${mode.kind} failed: ${message}`,
        details: { mode: mode.kind, error: message },
      };
    }
  });
}
