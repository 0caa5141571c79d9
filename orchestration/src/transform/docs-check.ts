/**
 * Documentation completeness: every model, and every column of every model, has a description.
 * Columns are taken from the database (catalog.json of `dbt docs generate`) as well as from the
 * YAML (manifest.json), so a column a model selects but the YAML forgot is caught too.
 */
import path from 'node:path';
import { readJson } from './dbt.ts';

interface ManifestNode {
  resource_type: string;
  name: string;
  package_name?: string;
  original_file_path?: string;
  description?: string;
  columns?: Record<string, { name: string; description?: string }>;
}

export interface Manifest {
  metadata?: { project_name?: string };
  nodes: Record<string, ManifestNode>;
}

export interface Catalog {
  nodes: Record<string, { columns: Record<string, { name: string }> }>;
}

export interface DocsProblem {
  model: string;
  column?: string;
  problem: string;
}

export function findUndocumented(manifest: Manifest, catalog?: Catalog): DocsProblem[] {
  const problems: DocsProblem[] = [];
  const project = manifest.metadata?.project_name;
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (node.resource_type !== 'model') continue;
    if (project && node.package_name && node.package_name !== project) continue;
    if (!node.description?.trim()) problems.push({ model: node.name, problem: 'model has no description' });
    const documented = new Map<string, string>();
    for (const column of Object.values(node.columns ?? {})) {
      documented.set(column.name.toLowerCase(), column.description?.trim() ?? '');
      if (!column.description?.trim()) {
        problems.push({ model: node.name, column: column.name, problem: 'column has no description' });
      }
    }
    const actual = catalog?.nodes[id]?.columns;
    if (catalog && !actual)
      problems.push({ model: node.name, problem: 'model missing from catalog (not built?)' });
    for (const column of Object.values(actual ?? {})) {
      if (!documented.has(column.name.toLowerCase())) {
        problems.push({ model: node.name, column: column.name, problem: 'column is not in the YAML' });
      }
    }
  }
  return problems;
}

/** Reads manifest.json and catalog.json (when present) from a dbt target directory. */
export async function checkDocs(
  targetPath: string,
  options: { requireCatalog?: boolean } = {},
): Promise<DocsProblem[]> {
  const manifest = await readJson<Manifest>(path.join(targetPath, 'manifest.json'));
  let catalog: Catalog | undefined;
  try {
    catalog = await readJson<Catalog>(path.join(targetPath, 'catalog.json'));
  } catch (error) {
    if (options.requireCatalog) throw error;
  }
  return findUndocumented(manifest, catalog);
}

export function formatDocsProblems(problems: DocsProblem[]): string {
  return problems.map((p) => `${p.model}${p.column ? `.${p.column}` : ''}: ${p.problem}`).join('\n');
}
