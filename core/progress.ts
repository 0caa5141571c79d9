/**
 * A progress bar drawn in place on a terminal for the long steps (dbt build by model, a backfill by
 * day). Silent when the stream is not a TTY: there the log lines are the record. Log lines written
 * meanwhile clear the bar first (core/logger.ts) and the next update redraws it.
 */
export interface ProgressBar {
  update(done: number, total: number, detail?: string): void;
  done(): void;
}

const WIDTH = 24;

export function createProgressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(done, total, detail) {
      const now = Date.now();
      // Redraw at most 10 times a second, but always show the last item.
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const filled = Math.round(ratio * WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
      const text = `${label} ${bar} ${done}/${total}${detail ? `  ${detail}` : ''}`;
      stream.write(`\r\x1b[2K${text.slice(0, (stream.columns || 120) - 1)}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
