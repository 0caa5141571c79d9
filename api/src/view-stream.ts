/**
 * `npm run view-stream`: watch the live GL stream in the terminal (the TypeScript version of the
 * brief's view_stream.py). One line per event: the slot, journals, lines and total debits.
 * Reconnects on any failure and resumes with Last-Event-ID, so nothing is missed or repeated.
 */
import { createParser } from 'eventsource-parser';
import { loadConfig } from '../../core/config.ts';
import { redactUrl } from '../../core/redact.ts';

interface StreamLine {
  journal_id: string;
  debit: string;
  source: string;
}

const config = loadConfig();
const url = `${config.gl.url}/get-gl`;
let lastEventId: string | undefined;
let stopping = false;
let controller = new AbortController();

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

function summarize(id: string | undefined, data: string): string {
  const lines = JSON.parse(data) as StreamLine[];
  const journals = new Set(lines.map((l) => l.journal_id)).size;
  const debits = lines.reduce((sum, l) => sum + Math.round(Number(l.debit) * 100), 0) / 100;
  const sources = [...new Set(lines.map((l) => l.source))].sort().join(',');
  return `${id ?? '(no id)'}  journals ${String(journals).padStart(4)}  lines ${String(lines.length).padStart(5)}  debits ${money.format(debits).padStart(16)}  ${sources}`;
}

async function follow(): Promise<void> {
  controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (config.gl.token) headers.authorization = `Bearer ${config.gl.token}`;
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`${response.status} ${await response.text()}`);
  console.log(`connected to ${redactUrl(url)}${lastEventId ? ` (resuming after ${lastEventId})` : ''}`);
  const parser = createParser({
    onEvent: (event) => {
      lastEventId = event.id ?? lastEventId;
      console.log(summarize(event.id, event.data));
    },
  });
  const decoder = new TextDecoder();
  for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));
}

async function main(): Promise<void> {
  let delayMs = 1000;
  while (!stopping) {
    try {
      await follow();
      delayMs = 1000;
      if (!stopping) console.log('stream ended; reconnecting');
    } catch (err) {
      if (stopping) break;
      console.error(`stream error: ${(err as Error).message}; retrying in ${delayMs / 1000}s`);
    }
    if (stopping) break;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 30_000);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping = true;
    controller.abort();
  });
}

await main();
