/**
 * Task: the Excel dashboard and the PDF executive summary from the marts, read as
 * energy_reporting, into reports/output/<as-of>/ and reports/output/latest/ (reports/src/build.ts).
 * Empty marts (or no complete month yet) fail the task with a message to run the pipeline first;
 * no report is written then.
 */
import { timed, type Outcome } from '../../../core/outcome.ts';
import { createPool, ROLES } from '../../../database/src/connection.ts';
import { buildReports } from '../../../reports/src/build.ts';
import { EmptyMartsError } from '../../../reports/src/model.ts';
import type { Context } from '../context.ts';

export async function report(ctx: Context, options: { asOf?: string; outputDir?: string }): Promise<Outcome> {
  return timed(async (): Promise<Omit<Outcome, 'durationMs'>> => {
    const asOf = options.asOf ?? ctx.config.gl.asOf;
    const pool = createPool(await ctx.databaseUrl('reporting'), {
      role: ROLES.reporting,
      max: 2,
      application: 'pipeline-report',
    });
    try {
      const built = await buildReports({ pool, log: ctx.log, asOf, outputDir: options.outputDir });
      const { model } = built;
      return {
        status: 'ok',
        counts: { completeMonths: model.completeMonths.length, kpis: model.kpis.length, files: 2 },
        message: `reports for ${model.latestMonth.slice(0, 7)} (${model.completeMonths.length} complete months) in ${built.dir}`,
        details: {
          dir: built.dir,
          latest: built.latestDir,
          files: built.files,
          latestMonth: model.latestMonth,
          asOf,
        },
      };
    } catch (error) {
      if (!(error instanceof EmptyMartsError)) throw error;
      return { status: 'failed', counts: { files: 0 }, message: error.message, details: { asOf } };
    } finally {
      await pool.end();
    }
  });
}
