import type { ServerResponse } from 'node:http';

/** Writes with backpressure: waits for 'drain' when the socket buffer is full. */
export async function write(res: ServerResponse, text: string): Promise<void> {
  if (res.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function sseEvent(id: string, data: string): string {
  return `id: ${id}\ndata: ${data}\n\n`;
}

export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}
