/**
 * The documents a reviewer reads first: every relative link of README.md and docs/*.md points at
 * a file that exists (images included) and every #anchor at a heading; the dbt overview links
 * only to models that exist; the README's table of the brief has a row for each of its parts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';

const DOCUMENTS = [
  'README.md',
  ...readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const BRIEF = path.resolve(PROJECT_ROOT, '../shared/mission/assessment.md');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));
}

function links(file: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/i.test(l));
}

function modelNames(dir: string): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.sql')) names.add(entry.name.replace(/\.sql$/, ''));
  }
  return names;
}

describe.runIf(inject('projectName') === 'embedded')('documentation', () => {
  it.each(DOCUMENTS)('%s: every relative link and anchor resolves', (doc) => {
    const broken: string[] = [];
    for (const link of links(doc)) {
      const [target, anchor] = link.split('#') as [string, string | undefined];
      const file = target
        ? path.resolve(PROJECT_ROOT, path.dirname(doc), target)
        : path.join(PROJECT_ROOT, doc);
      if (!existsSync(file)) broken.push(`${link}: no such file`);
      else if (anchor && file.endsWith('.md') && !anchors(file).has(anchor))
        broken.push(`${link}: no such heading`);
    }
    expect(broken).toEqual([]);
  });

  it('the dbt overview is the project own and links only to existing models', () => {
    const overview = readFileSync(path.join(PROJECT_ROOT, 'dbt/models/overview.md'), 'utf8');
    expect(overview).toMatch(/^\{% docs __overview__ %\}/);
    const models = modelNames(path.join(PROJECT_ROOT, 'dbt/models'));
    const linked = [...overview.matchAll(/#!\/model\/model\.energy\.(\w+)/g)].map((m) => m[1]!);
    expect(linked.length).toBeGreaterThan(5);
    expect(linked.filter((name) => !models.has(name))).toEqual([]);
  });

  it.runIf(existsSync(BRIEF))('the README maps every part of the brief', () => {
    const brief = readFileSync(BRIEF, 'utf8');
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const parts = [...brief.matchAll(/^### (\d+)\. /gm)].map((m) => m[1]!);
    expect(parts.length).toBeGreaterThanOrEqual(6);
    for (const part of parts)
      expect(readme, `row for part ${part}`).toMatch(new RegExp(`^\\| \\*\\*${part}\\. `, 'm'));
    for (const deliverable of [
      'docker-compose.yml',
      'run.sh',
      '.env.example',
      'architecture.md',
      'decisions.md',
      'er_diagram.png',
    ]) {
      expect(readme).toContain(deliverable);
    }
  });
});
