/**
 * Builds both reports from the marts into `<outputDir>/<as-of>/` and `<outputDir>/latest/`.
 * Both files are written into a temporary folder first and the folder is renamed into place, so a
 * reader never sees half a report; an empty mart throws EmptyMartsError before anything is written.
 */
import { chmod, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { PROJECT_ROOT } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';
import { writeDashboard } from './excel/dashboard.ts';
import type { ReportModel } from './model.ts';
import { writeExecutiveSummary } from './pdf/summary.ts';
import { readReportModel } from './read/index.ts';

export const DEFAULT_OUTPUT_DIR = path.join(PROJECT_ROOT, 'reports', 'output');
export const DASHBOARD_FILE = 'dashboard.xlsx';
export const SUMMARY_FILE = 'executive_summary.pdf';

export interface BuildOptions {
  /** A pool whose connections run as energy_reporting. */
  pool: pg.Pool;
  log: Logger;
  asOf: string;
  outputDir?: string;
  generatedAt?: Date;
}

export interface BuiltReports {
  model: ReportModel;
  dir: string;
  latestDir: string;
  files: { dashboard: string; summary: string };
  timings: { readMs: number; excelMs: number; pdfMs: number };
}

/** Moves `from` to `to`, replacing what is there: the old folder is renamed away first, then removed. */
async function replaceDir(from: string, to: string): Promise<void> {
  const old = `${to}.old-${process.pid}-${Date.now()}`;
  await rename(to, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(from, to);
  await rm(old, { recursive: true, force: true });
}

export async function buildReports(options: BuildOptions): Promise<BuiltReports> {
  const outputDir = path.resolve(options.outputDir ?? DEFAULT_OUTPUT_DIR);
  const started = performance.now();
  const model = await readReportModel(options.pool, { asOf: options.asOf, generatedAt: options.generatedAt });
  const readMs = performance.now() - started;

  await mkdir(outputDir, { recursive: true });
  const staging = await mkdtemp(path.join(outputDir, '.building-'));
  const latestStaging = await mkdtemp(path.join(outputDir, '.latest-'));
  try {
    // mkdtemp makes them private (0700); reports are for everyone who can read the output folder
    await Promise.all([chmod(staging, 0o755), chmod(latestStaging, 0o755)]);
    const t1 = performance.now();
    await writeDashboard(model, path.join(staging, DASHBOARD_FILE));
    const t2 = performance.now();
    await writeExecutiveSummary(model, path.join(staging, SUMMARY_FILE));
    const t3 = performance.now();

    await cp(staging, latestStaging, { recursive: true });
    const dir = path.join(outputDir, model.asOf);
    const latestDir = path.join(outputDir, 'latest');
    await replaceDir(staging, dir);
    await replaceDir(latestStaging, latestDir);
    options.log.info(
      { dir, latest: latestDir, latestMonth: model.latestMonth, months: model.completeMonths.length },
      'reports written',
    );
    return {
      model,
      dir,
      latestDir,
      files: { dashboard: path.join(dir, DASHBOARD_FILE), summary: path.join(dir, SUMMARY_FILE) },
      timings: { readMs, excelMs: t2 - t1, pdfMs: t3 - t2 },
    };
  } finally {
    // gone after a successful rename; left over after a failure
    await rm(staging, { recursive: true, force: true });
    await rm(latestStaging, { recursive: true, force: true });
  }
}
