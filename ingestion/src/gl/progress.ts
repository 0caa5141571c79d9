/** A one-line progress display for terminals; silent when stderr is not a TTY (logs suffice). */
import type { BackfillProgress } from './backfill.ts';

export function createProgressLine(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(progress: BackfillProgress): void; done(): void } {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      shown = true;
      const rate = Math.round(progress.lines / Math.max(0.001, (now - started) / 1000));
      const c = progress.counts;
      const text =
        `${label}: ${progress.lines.toLocaleString('en-US')} lines (${rate.toLocaleString('en-US')}/s)` +
        `${progress.date ? `, complete through ${progress.date}` : ''}` +
        ` | inserted ${c.inserted} unchanged ${c.unchanged} quarantined ${c.quarantined}`;
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 120) - 1)}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
