import type { Command } from 'commander';

/** The shared `ingest` parent command (`ingest eia`, `ingest gl`): created once, reused by each source. */
export function ingestCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'ingest') ??
    program.command('ingest').description('load source data into the raw schema')
  );
}
