/**
 * `npm run chaos [-- --seed N --scale N --keep]`: the pipeline under injected faults, then the
 * comparison with an undisturbed run (chaos/run.ts). Exits 1 on any difference, 2 when the
 * harness itself could not finish (a run that never completes counts as that).
 */
import { Command, InvalidArgumentError } from 'commander';
import { createLogger } from '../core/logger.ts';
import { runChaos } from './run.ts';

const positive = (name: string, integer: boolean) => (raw: string) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new InvalidArgumentError(
      `${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`,
    );
  return value;
};

const program = new Command('chaos')
  .description(
    'the pipeline under SIGKILLs, a database restart and GL service faults, compared with an undisturbed run',
  )
  .option('--seed <n>', 'seed of the fault plan (default: random, printed)', positive('--seed', true))
  .option('--scale <n>', 'multiplies GL_WELLS (1 = 300 wells)', positive('--scale', false), 1)
  .option('--keep', "keep both runs' databases and CLI logs under .data/chaos/", false)
  .action(async (opts: { seed?: number; scale: number; keep: boolean }) => {
    const seed = opts.seed ?? Math.floor(Math.random() * 1_000_000) + 1;
    const log = createLogger('chaos', { level: 'warn' });
    try {
      const result = await runChaos({ seed, scale: opts.scale, keep: opts.keep, log });
      process.exitCode = result.passed ? 0 : 1;
    } catch (error) {
      console.error(`chaos run could not finish (seed ${seed}): ${(error as Error).message}`);
      process.exitCode = 2;
    }
  });

await program.parseAsync();
