/** Every `npm run pipeline -- <command>`; one module per command, registered in this order. */
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import * as db from './db.ts';
import * as ingestEia from './ingest-eia.ts';
import * as ingestGl from './ingest-gl.ts';
import * as migrate from './migrate.ts';
import * as report from './report.ts';
import * as transform from './transform.ts';

export const commands: Array<{ register(program: Command, ctx: Context): void }> = [
  migrate,
  db,
  transform,
  ingestEia,
  ingestGl,
  report,
];
