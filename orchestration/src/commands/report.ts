import type { Command } from 'commander';
import type { Context } from '../context.ts';
import { report } from '../tasks/report.ts';

export function register(program: Command, ctx: Context): void {
  program
    .command('report')
    .description(
      'write the Excel dashboard and the PDF executive summary from the marts (reports/output/<as-of>/ and latest/)',
    )
    .option(
      '--as-of <date>',
      'report date YYYY-MM-DD (default GL_AS_OF, else today): months ending after it are left out',
    )
    .option('--output-dir <dir>', 'where the reports go (default reports/output)')
    .action(async (opts: { asOf?: string; outputDir?: string }) => {
      if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) {
        throw new Error(`--as-of must be a date YYYY-MM-DD, got "${opts.asOf}"`);
      }
      const outcome = await report(ctx, { asOf: opts.asOf, outputDir: opts.outputDir });
      if (outcome.status === 'failed') {
        ctx.log.error(outcome.message);
        process.exitCode = 1;
        return;
      }
      ctx.log.info({ durationMs: outcome.durationMs }, outcome.message);
      const files = (outcome.details?.files ?? {}) as Record<string, string>;
      for (const file of Object.values(files)) console.log(file);
    });
}
