/**
 * How dbt is started, the same way from every entry point (run.sh, `pipeline transform`, CI, a
 * new shell): the project's own virtualenv (`dbt/.venv`, made by `uv sync --project dbt`) holds
 * the pinned dbt, so once synced no `uv` on PATH is needed at all. Before the first sync, uv is
 * looked for where `pip install uv` puts it (PATH, ~/.local/bin) and as `python3 -m uv`.
 * scripts/python-tools.sh resolves uv the same way for the shell scripts. On Linux the venv's dbt
 * is started through die-with-parent.py, so it never outlives the process that started it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export interface DbtCommand {
  command: string;
  /** Arguments that come before dbt's own (empty when running the venv's dbt directly). */
  prefix: string[];
  /** Where it came from, for the debug log. */
  via: 'venv' | 'uv';
}

const isWindows = process.platform === 'win32';

export function venvDbt(projectDir: string): string {
  return path.join(projectDir, '.venv', isWindows ? 'Scripts' : 'bin', isWindows ? 'dbt.exe' : 'dbt');
}

function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** uv as an executable plus leading arguments, or undefined when it is not installed anywhere we know. */
export function findUv(): { command: string; prefix: string[] } | undefined {
  if (runs('uv', ['--version'])) return { command: 'uv', prefix: [] };
  for (const candidate of [
    path.join(homedir(), '.local', 'bin', 'uv'),
    path.join(homedir(), '.cargo', 'bin', 'uv'),
  ]) {
    if (existsSync(candidate)) return { command: candidate, prefix: [] };
  }
  if (runs('python3', ['-m', 'uv', '--version'])) return { command: 'python3', prefix: ['-m', 'uv'] };
  return undefined;
}

/** The shim that makes a child die with its parent (PR_SET_PDEATHSIG, Linux only). */
export const DIE_WITH_PARENT = path.join(import.meta.dirname, 'die-with-parent.py');

function venvPython(projectDir: string): string {
  return path.join(projectDir, '.venv', 'bin', 'python');
}

export function resolveDbtCommand(projectDir: string): DbtCommand {
  const dbt = venvDbt(projectDir);
  const python = venvPython(projectDir);
  // On Linux the venv's dbt starts through the shim, so a killed pipeline process takes its dbt
  // with it (orchestration/README.md, "Crash behaviour").
  if (process.platform === 'linux' && existsSync(dbt) && existsSync(python))
    return { command: python, prefix: [DIE_WITH_PARENT, String(process.pid), dbt], via: 'venv' };
  if (existsSync(dbt)) return { command: dbt, prefix: [], via: 'venv' };
  const uv = findUv();
  if (!uv) {
    throw new Error(
      'dbt is not installed: run ./run.sh once, or `python3 -m pip install uv && python3 -m uv sync --project dbt`',
    );
  }
  return {
    command: uv.command,
    prefix: [...uv.prefix, 'run', '--project', projectDir, '--frozen', '--quiet', 'dbt'],
    via: 'uv',
  };
}
