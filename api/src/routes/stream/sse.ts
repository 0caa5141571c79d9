import type { ServerResponse } from 'node:http';

/** Writes with backpressure: waits for 'drain' when the socket buffer is full. */
export async function write(res: ServerResponse, text: string | Uint8Array): Promise<void> {
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

/** An event whose data is one line of JSON (it holds no raw newline). */
export function sseEvent(id: string, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`id: ${id}\ndata: `), data, Buffer.from('\n\n')]);
}

export function sseComment(text: string): string {
  return `: ${text}\n\n`;
}
