#!/usr/bin/env node
/** The pipeline's command line: `npm run pipeline -- <command>` (see `--help`). */
import { Command } from 'commander';
import { createContext } from './context.ts';
import { commands } from './commands/index.ts';

const ctx = createContext('pipeline');
const program = new Command('pipeline')
  .description('energy-analytics pipeline: EIA + GL ingestion, dbt, checks, reports')
  .showHelpAfterError();
for (const command of commands) command.register(program, ctx);

try {
  await program.parseAsync(process.argv);
  // Pools and the embedded server's client connections must not keep a finished command alive.
  process.exit(process.exitCode ?? 0);
} catch (error) {
  // A bad option found inside an action reads like one commander found: one line, no stack.
  if ((error as { code?: string }).code?.startsWith('commander.')) {
    console.error(`error: ${(error as Error).message}`);
    process.exit(1);
  }
  ctx.log.error({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
}
