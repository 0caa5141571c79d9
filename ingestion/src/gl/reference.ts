/**
 * Reference data: GET /v1/wells|owners|accounts|afes → raw.gl_* (one row per business key,
 * jsonb payload, sha256 of the canonical JSON). A snapshot load: new keys are inserted, changed
 * payloads replace the stored one (counted revised), identical ones are left alone (unchanged).
 * Each entity is one batch; records failing the service's schema are quarantined.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { withTransaction } from '../../../database/src/connection.ts';
import {
  addCounts,
  emptyCounts,
  failBatch,
  finishBatch,
  startBatch,
  type BatchCounts,
} from '../load/batches.ts';
import { withIngestLock } from '../load/lock.ts';
import { retrying } from '../load/retry.ts';
import { quarantine, type QuarantinedRecord } from '../load/quarantine.ts';
import { canonicalJson, sha256 } from './canonical.ts';
import type { GlHttp } from './http.ts';
import { referenceValidators } from './schema.ts';

export const REFERENCE_ENTITIES = [
  { entity: 'wells', path: '/v1/wells', table: 'raw.gl_wells', key: 'well_id' },
  { entity: 'owners', path: '/v1/owners', table: 'raw.gl_owners', key: 'owner_id' },
  { entity: 'accounts', path: '/v1/accounts', table: 'raw.gl_accounts', key: 'account_number' },
  { entity: 'afes', path: '/v1/afes', table: 'raw.gl_afes', key: 'afe_number' },
] as const;

export type ReferenceEntity = (typeof REFERENCE_ENTITIES)[number]['entity'];

export async function loadReferenceEntity(
  pool: pg.Pool,
  http: GlHttp,
  log: Logger,
  spec: (typeof REFERENCE_ENTITIES)[number],
  signal?: AbortSignal,
): Promise<BatchCounts> {
  return withIngestLock(pool, 'gl', spec.entity, async (lockSignal) => {
    const batchId = await startBatch(pool, 'gl', spec.entity, { path: spec.path });
    try {
      const body = await http.getJson<{ data?: unknown }>(
        spec.path,
        signal ? AbortSignal.any([signal, lockSignal]) : lockSignal,
      );
      if (!body || !Array.isArray(body.data)) throw new Error(`GET ${spec.path}: expected { "data": [...] }`);
      const data: unknown[] = body.data;
      const validate = referenceValidators()[spec.entity];
      const rejected: QuarantinedRecord[] = [];
      const byKey = new Map<string, { payload: string; hash: string }>();
      for (const record of data) {
        const key = (record as Record<string, unknown> | null)?.[spec.key];
        const error = typeof key !== 'string' || key === '' ? `missing ${spec.key}` : validate(record);
        if (error !== null) {
          rejected.push({
            recordKey: typeof key === 'string' ? key : null,
            reason: `schema: ${error}`,
            payload: record,
          });
          continue;
        }
        const payload = canonicalJson(record);
        byKey.set(key as string, { payload, hash: sha256(payload) });
      }
      const keys = [...byKey.keys()];
      const counts = await withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ inserted: boolean }>(
          `INSERT INTO ${spec.table} (${spec.key}, payload, payload_hash, batch_id)
           SELECT k, p, h, $4 FROM unnest($1::text[], $2::jsonb[], $3::text[]) AS r(k, p, h)
           ON CONFLICT (${spec.key}) DO UPDATE
              SET payload = EXCLUDED.payload, payload_hash = EXCLUDED.payload_hash,
                  batch_id = EXCLUDED.batch_id, updated_at = now()
            WHERE ${spec.table}.payload_hash IS DISTINCT FROM EXCLUDED.payload_hash
           RETURNING (xmax = 0) AS inserted`,
          [keys, keys.map((k) => byKey.get(k)!.payload), keys.map((k) => byKey.get(k)!.hash), batchId],
        );
        const inserted = rows.filter((r) => r.inserted).length;
        const revised = rows.length - inserted;
        await quarantine(client, batchId, 'gl', spec.entity, rejected);
        const result: BatchCounts = {
          received: data.length,
          inserted,
          unchanged: keys.length - inserted - revised,
          revised,
          quarantined: rejected.length,
        };
        await finishBatch(client, batchId, result);
        return result;
      });
      log.info({ entity: spec.entity, batchId, ...counts }, `GL ${spec.entity} loaded`);
      return counts;
    } catch (error) {
      await failBatch(pool, batchId, error).catch(() => undefined);
      throw error;
    }
  });
}

export async function loadReferenceData(
  pool: pg.Pool,
  http: GlHttp,
  log: Logger,
  signal?: AbortSignal,
): Promise<Record<ReferenceEntity, BatchCounts> & { total: BatchCounts }> {
  const out = { total: emptyCounts() } as Record<ReferenceEntity, BatchCounts> & { total: BatchCounts };
  for (const spec of REFERENCE_ENTITIES) {
    // a lost database connection rolls the entity's transaction back: load it again
    out[spec.entity] = await retrying(() => loadReferenceEntity(pool, http, log, spec, signal), {
      label: `GL ${spec.entity}`,
      policy: http.retry,
      signal,
      log,
    });
    out.total = addCounts(out.total, out[spec.entity]);
  }
  return out;
}
