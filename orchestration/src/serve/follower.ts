/**
 * The GL stream follower of `pipeline serve`: `ingest gl --follow`, which retries forever itself
 * (capped backoff) and reports its state here for the status page; after a long outage it raises
 * one alert, which goes out through the alert task. Should the follow ever end on its own, it is
 * started again after a pause.
 */
import type { FollowerStatus } from '../../../ingestion/src/gl/index.ts';
import type { Context } from '../context.ts';
import type { FollowerInfo } from '../status/collect.ts';
import { alert } from '../tasks/alert.ts';
import { ingestGl } from '../tasks/ingest-gl.ts';

const RESTART_MS = 30_000;

export interface Follower {
  state(): FollowerInfo;
  stop(): Promise<void>;
}

export function startFollower(ctx: Context): Follower {
  const controller = new AbortController();
  const info: FollowerInfo = {
    state: 'connecting',
    since: new Date().toISOString(),
    restarts: 0,
    lastError: null,
  };
  const onState = (status: FollowerStatus) => {
    info.state = status.state;
    info.since = status.since;
    info.lastError = status.lastError ?? null;
  };
  const loop = (async () => {
    let first = true;
    while (!controller.signal.aborted) {
      const outcome = await ingestGl(ctx, {
        mode: { kind: 'follow' },
        reference: first,
        signal: controller.signal,
        follow: {
          onState,
          onAlert: async (outage) => {
            await alert(ctx, {
              workflow: 'gl-follower',
              workflowId: 'gl-follower',
              step: 'follow',
              error: outage.message,
              statusUrl: `http://127.0.0.1:${ctx.config.pipeline.statusPort}/`,
            });
          },
        },
      }).catch((error: unknown) => ({ status: 'failed', message: (error as Error).message }) as const);
      first = false;
      if (controller.signal.aborted) break;
      info.restarts++;
      Object.assign(info, {
        state: 'reconnecting',
        since: new Date().toISOString(),
        lastError: outcome.message,
      });
      ctx.log.warn({ outcome: outcome.message }, 'GL follower ended: starting it again');
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, RESTART_MS);
        controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), {
          once: true,
        });
      });
    }
    Object.assign(info, { state: 'stopped', since: new Date().toISOString() });
  })();
  return {
    state: () => ({ ...info }),
    async stop() {
      controller.abort(new Error('serve is stopping'));
      await loop;
    },
  };
}
