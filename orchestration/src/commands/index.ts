/** Every `npm run pipeline -- <command>`; one module per command, registered in this order. */
import type { Command } from 'commander';
import type { Context } from '../context.ts';
import * as backfill from './backfill.ts';
import * as check from './check.ts';
import * as db from './db.ts';
import * as ingestEia from './ingest-eia.ts';
import * as ingestGl from './ingest-gl.ts';
import * as migrate from './migrate.ts';
import * as report from './report.ts';
import * as retry from './retry.ts';
import * as run from './run.ts';
import * as serve from './serve.ts';
import * as status from './status.ts';
import * as transform from './transform.ts';

export const commands: Array<{ register(program: Command, ctx: Context): void }> = [
  migrate,
  db,
  transform,
  ingestEia,
  ingestGl,
  check,
  report,
  run,
  backfill,
  serve,
  status,
  retry,
];
