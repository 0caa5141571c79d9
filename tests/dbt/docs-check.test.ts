/** The documentation checker itself: it must fail on a model or a column without a description. */
import { describe, expect, it } from 'vitest';
import { findUndocumented, type Catalog, type Manifest } from '../../orchestration/src/transform/docs-check.ts';

const manifest = (description: string, columns: Record<string, string>): Manifest => ({
  metadata: { project_name: 'energy' },
  nodes: {
    'model.energy.fct_x': {
      resource_type: 'model',
      name: 'fct_x',
      package_name: 'energy',
      description,
      columns: Object.fromEntries(Object.entries(columns).map(([name, d]) => [name, { name, description: d }])),
    },
    'test.energy.not_null_fct_x_a': { resource_type: 'test', name: 'not_null_fct_x_a', package_name: 'energy' },
  },
});
const catalog = (...columns: string[]): Catalog => ({
  nodes: { 'model.energy.fct_x': { columns: Object.fromEntries(columns.map((name) => [name, { name }])) } },
});

describe('docs check', () => {
  it('passes a fully described model', () => {
    expect(findUndocumented(manifest('A fact.', { a: 'A.', b: 'B.' }), catalog('a', 'b'))).toEqual([]);
  });

  it('fails a model without a description', () => {
    expect(findUndocumented(manifest(' ', { a: 'A.' }), catalog('a'))).toEqual([
      { model: 'fct_x', problem: 'model has no description' },
    ]);
  });

  it('fails a column with an empty description', () => {
    expect(findUndocumented(manifest('A fact.', { a: '' }), catalog('a'))).toEqual([
      { model: 'fct_x', column: 'a', problem: 'column has no description' },
    ]);
  });

  it('fails a column the model has but the YAML does not list', () => {
    expect(findUndocumented(manifest('A fact.', { a: 'A.' }), catalog('a', 'b'))).toEqual([
      { model: 'fct_x', column: 'b', problem: 'column is not in the YAML' },
    ]);
  });
});
