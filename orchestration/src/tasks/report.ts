/**
 * Placeholder until the reports work lands (the reports helper owns this file): the report step
 * exists in every workflow, and says plainly that no report was built.
 */
import type { Outcome } from '../../../core/outcome.ts';
import type { Context } from '../context.ts';

export async function report(ctx: Context, options: { asOf?: string; outputDir?: string }): Promise<Outcome> {
  ctx.log.warn({ asOf: options.asOf ?? null }, 'reports are not built yet: the report step is a placeholder');
  return { status: 'warn', counts: {}, durationMs: 0, message: 'reports: not built yet (placeholder step)' };
}
