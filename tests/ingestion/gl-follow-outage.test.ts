/**
 * A long GL service outage (issue 9.3): the follower used to give up after its 8 retries (about
 * 80 s with the production delays); a follower is a daemon and must ride out any outage. The
 * service is stopped for far longer than 8 retries take with the test's short delays, then
 * brought back on the same port: the follower reconnects by itself, catches up from its stored
 * cursor with no gap, logs the outage once (not every attempt), reports its state changes, and
 * raises exactly one alert once the outage outlasts `alertAfterMs`.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { FollowerAlert, FollowerState } from '../../ingestion/src/gl/index.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import {
  FAST_RETRY,
  rawSnapshot,
  runGl,
  startGlService,
  streamOptions,
  type GlService,
} from './gl-helpers.ts';

const AS_OF = '2024-01-31';
// ledger time runs 3600x real time, shared by every service instance: a 10-minute slot ends
// every 1/6 s, so events keep arriving while the test runs and after the outage
const LEDGER_T0 = Date.parse('2024-01-31T12:00:00Z');
let REAL_T0 = Date.now();
const START = '2024-01-31T11:50:00Z';
const EVENTS = 30; // through 16:50, about 5 s of real time
const serviceOptions = streamOptions(() => LEDGER_T0 + (Date.now() - REAL_T0) * 3600, AS_OF);
// old behaviour: 8 retries; with delays of at most 50 ms they are spent in well under a second
const RETRY = { minDelayMs: 10, maxDelayMs: 50 };
const OUTAGE_MS = 3_000;

describe('a long GL service outage while following', () => {
  const databases: TestDatabase[] = [];
  const services: GlService[] = [];
  afterAll(async () => {
    for (const s of services) await s.close().catch(() => undefined);
    for (const db of databases) await db.drop();
  });

  it('retries until the service is back, alerts once, and catches up with no gap', async () => {
    const clean = await createTestDatabase();
    const db = await createTestDatabase();
    databases.push(clean, db);
    for (const target of [clean, db])
      await target.query(`INSERT INTO ops.stream_cursors (stream, last_event_id) VALUES ('gl', $1)`, [START]);

    // the service the follower watches: it goes down after the first events, for OUTAGE_MS
    let service = await startGlService(serviceOptions);
    REAL_T0 = Date.now(); // the ledger's clock starts now: most events arrive live
    const port = (service.app.server.address() as AddressInfo).port;
    const states: FollowerState[] = [];
    const alerts: FollowerAlert[] = [];
    const logged: Array<{ level: number; msg: string }> = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    let stopped = false;
    const outage = (async () => {
      while (!states.includes('streaming')) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 500)); // a few live events first
      await service.close();
      stopped = true;
      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      service = await startGlService(serviceOptions, port);
      services.push(service);
    })();

    const run = runGl({
      databaseUrl: db.url,
      gl: { url: service.url, token: undefined, asOf: AS_OF },
      mode: { kind: 'follow', stopAfterEvents: EVENTS },
      reference: false,
      flushMs: 30,
      flushLines: 40,
      requestTimeoutMs: 500,
      idleTimeoutMs: 1000,
      retry: FAST_RETRY,
      log,
      follow: {
        retry: RETRY,
        alertAfterMs: 1_000,
        onState: (s) => {
          if (states.at(-1) !== s.state) states.push(s.state);
        },
        onAlert: (a) => void alerts.push(a),
      },
    });
    const result = await run;
    await outage;
    expect(stopped).toBe(true);

    // the same events, undisturbed (all of them in the past by now)
    const reference = await startGlService(serviceOptions);
    services.push(reference);
    const undisturbed = await runGl({
      databaseUrl: clean.url,
      gl: { url: reference.url, token: undefined, asOf: AS_OF },
      mode: { kind: 'follow', stopAfterEvents: EVENTS },
      reference: false,
      flushMs: 30,
      flushLines: 40,
      retry: FAST_RETRY,
    });
    expect(undisturbed.outcome.status).toBe('ok');

    expect(result.outcome.status, result.outcome.message).toBe('ok');
    expect(states).toEqual(['streaming', 'reconnecting', 'streaming', 'stopped']);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.outageMs).toBeGreaterThanOrEqual(1_000);
    expect(alerts[0]!.attempts).toBeGreaterThan(8); // more than the old limit allowed
    expect(result.stream).toMatchObject({ outages: 1, alerts: 1 });
    // one line per state change, not one per attempt
    expect(logged.filter((l) => l.level === 40 && /interrupted/.test(l.msg))).toHaveLength(1);
    expect(logged.filter((l) => l.level === 50 && /unreachable for/.test(l.msg))).toHaveLength(1);
    expect(logged.filter((l) => l.level === 30 && /back after/.test(l.msg))).toHaveLength(1);

    const { rows } = await db.query(`SELECT last_event_id FROM ops.stream_cursors WHERE stream = 'gl'`);
    expect(rows[0]!.last_event_id).toBe('2024-01-31T16:50:00Z');
    expect(await rawSnapshot(db)).toEqual(await rawSnapshot(clean));
  });
});
