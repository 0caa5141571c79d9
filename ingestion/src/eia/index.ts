/** EIA ingestion: catalog, API v2 client, loader, archive replay and the offline replay server. */
export {
  EIA_CATALOG,
  LOOK_BACK,
  getSeries,
  selectSeries,
  type EiaFrequency,
  type EiaSeries,
} from './catalog.ts';
export {
  EiaClient,
  EiaError,
  LIVE_EIA_BASE_URL,
  parseEiaValue,
  parseObservation,
  type EiaClientOptions,
  type EiaObservation,
} from './client.ts';
export { resolveEiaEndpoint, type EiaEndpoint } from './endpoint.ts';
export {
  ingestEia,
  planRange,
  type EiaDeps,
  type EiaOutcome,
  type IngestEiaOptions,
  type SeriesOutcome,
} from './ingest.ts';
export { replayEiaArchive } from './archive.ts';
export { startEiaReplayServer, type EiaReplayServer, type ReplayFault } from './replay/server.ts';
