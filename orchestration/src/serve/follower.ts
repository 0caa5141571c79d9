/**
 * The GL stream follower of `pipeline serve`: `ingest gl --follow` kept running. When the follow
 * ends (the service went away, retries ran out) it starts again after a capped, jittered backoff,
 * forever; its state is what the status page shows.
 */
import type { Context } from '../context.ts';
import type { FollowerInfo } from '../status/collect.ts';
import { ingestGl } from '../tasks/ingest-gl.ts';

const CAP_MS = 60_000;

export interface Follower {
  state(): FollowerInfo;
  stop(): Promise<void>;
}

export function startFollower(ctx: Context): Follower {
  const controller = new AbortController();
  const info: FollowerInfo = {
    state: 'starting',
    since: new Date().toISOString(),
    restarts: 0,
    lastError: null,
  };
  const set = (state: string, error: string | null = info.lastError) => {
    if (state !== info.state) ctx.log.info({ follower: state }, `GL follower: ${state}`);
    info.state = state;
    info.since = new Date().toISOString();
    info.lastError = error;
  };
  const loop = (async () => {
    let delay = 1000;
    let first = true;
    while (!controller.signal.aborted) {
      set('following', null);
      const outcome = await ingestGl(ctx, {
        mode: { kind: 'follow' },
        reference: first,
        signal: controller.signal,
      });
      first = false;
      if (controller.signal.aborted) break;
      info.restarts++;
      set('reconnecting', outcome.status === 'failed' ? outcome.message : 'the stream ended');
      const wait = Math.min(CAP_MS, delay) * (0.5 + Math.random() / 2);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, wait);
        controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), {
          once: true,
        });
      });
      delay = Math.min(CAP_MS, delay * 2);
    }
    set('stopped', null);
  })();
  return {
    state: () => ({ ...info }),
    async stop() {
      controller.abort(new Error('serve is stopping'));
      await loop;
    },
  };
}
