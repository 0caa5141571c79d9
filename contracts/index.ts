/**
 * The GL service's published contract: what the service serves and documents and what the GL
 * client validates. Imports nothing from the service's generator or domain, so ingestion can
 * depend on it without depending on the service. docs/contracts.md maps each contract to its file.
 */
export * from './enums.ts';
export * from './formats.ts';
export * from './gl-line.ts';
export * from './gl-line-json.ts';
export * from './gl-page.ts';
export * from './health.ts';
export * from './problem.ts';
export * from './reference.ts';
