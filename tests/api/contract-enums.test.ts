/**
 * One definition per enum: contracts/enums.ts. dbt's accepted_values and docs/contracts.md
 * restate the values (they cannot import TypeScript), so this test holds them to it: the GL
 * staging models (the contract's mirror in dbt) list exactly the contract's values, later models
 * only contract values, and the doc's enumeration table the same lists. It also checks that the
 * schemas are built from the lists, so nothing else can drift.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../../core/config.ts';
import * as enums from '../../contracts/enums.ts';
import { GlLineSchema } from '../../contracts/gl-line.ts';
import {
  AccountSchema,
  AfeSchema,
  InterestSchema,
  OwnerSchema,
  WellSchema,
} from '../../contracts/reference.ts';

/** dbt column name → the contract enum it carries. */
const DBT_COLUMNS: Record<string, readonly string[]> = {
  subledger: enums.SUBLEDGERS,
  product: enums.PRODUCTS,
  volume_uom: enums.VOLUME_UOMS,
  account_type: enums.ACCOUNT_TYPES,
  normal_balance: enums.NORMAL_BALANCES,
  owner_type: enums.OWNER_TYPES,
  interest_type: enums.INTEREST_TYPES,
  well_status: enums.WELL_STATUSES,
  afe_type: enums.AFE_TYPES,
  afe_status: enums.AFE_STATUSES,
};

interface AcceptedValues {
  file: string;
  model: string;
  column: string;
  values: string[];
}

function* yamlFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* yamlFiles(file);
    else if (/\.ya?ml$/.test(entry.name)) yield file;
  }
}

type Test = { accepted_values?: { values?: string[]; arguments?: { values?: string[] } } } | string;
type Column = { name: string; data_tests?: Test[]; tests?: Test[] };

function acceptedValues(): AcceptedValues[] {
  const found: AcceptedValues[] = [];
  for (const file of yamlFiles(path.join(PROJECT_ROOT, 'dbt/models'))) {
    const doc = parse(readFileSync(file, 'utf8')) as {
      models?: Array<{ name: string; columns?: Column[] }>;
    } | null;
    for (const model of doc?.models ?? []) {
      for (const column of model.columns ?? []) {
        for (const test of [...(column.data_tests ?? []), ...(column.tests ?? [])]) {
          if (typeof test === 'string' || !test.accepted_values) continue;
          const values = test.accepted_values.arguments?.values ?? test.accepted_values.values ?? [];
          found.push({
            file: path.relative(PROJECT_ROOT, file),
            model: model.name,
            column: column.name,
            values,
          });
        }
      }
    }
  }
  return found;
}

/** The values a TypeBox union of literals (optionally nullable) accepts. */
function literals(schema: unknown): string[] {
  const node = schema as { anyOf?: unknown[]; const?: unknown; type?: string };
  if (node.anyOf) return node.anyOf.flatMap(literals);
  return typeof node.const === 'string' ? [node.const] : [];
}

describe('the contract enums', () => {
  it('are what the schemas accept', () => {
    expect(literals(GlLineSchema.properties.source)).toEqual([...enums.SUBLEDGERS]);
    expect(literals(GlLineSchema.properties.product)).toEqual([...enums.PRODUCTS]);
    expect(literals(GlLineSchema.properties.volume_uom)).toEqual([...enums.VOLUME_UOMS]);
    expect(literals(AccountSchema.properties.account_type)).toEqual([...enums.ACCOUNT_TYPES]);
    expect(literals(AccountSchema.properties.normal_balance)).toEqual([...enums.NORMAL_BALANCES]);
    expect(literals(OwnerSchema.properties.owner_type)).toEqual([...enums.OWNER_TYPES]);
    expect(literals(InterestSchema.properties.interest_type)).toEqual([...enums.INTEREST_TYPES]);
    expect(literals(WellSchema.properties.status)).toEqual([...enums.WELL_STATUSES]);
    expect(literals(AfeSchema.properties.afe_type)).toEqual([...enums.AFE_TYPES]);
    expect(literals(AfeSchema.properties.status)).toEqual([...enums.AFE_STATUSES]);
  });

  it("are exactly dbt's accepted_values in the GL staging models, and a superset everywhere else", () => {
    const checked = acceptedValues().filter((a) => a.column in DBT_COLUMNS);
    // the staging mirror of the contract tests every enum it carries
    expect(checked.filter((a) => a.file.startsWith('dbt/models/staging/gl/')).length).toBeGreaterThanOrEqual(
      8,
    );
    for (const a of checked) {
      const contract = DBT_COLUMNS[a.column]!;
      const where = `${a.file} ${a.model}.${a.column}`;
      if (a.file.startsWith('dbt/models/staging/gl/'))
        expect([...a.values].sort(), where).toEqual([...contract].sort());
      else for (const value of a.values) expect(contract, where).toContain(value);
    }
    // the subledger goes through to the finance mart unchanged
    const mart = checked.find((a) => a.model === 'fct_gl_lines' && a.column === 'subledger');
    expect(mart?.values.sort()).toEqual([...enums.SUBLEDGERS].sort());
  });

  it('are the values docs/contracts.md lists', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'docs/contracts.md'), 'utf8');
    const table = new Map<string, string[]>();
    for (const line of doc.split('\n')) {
      const m = /^\| ([A-Z_]+) +\| ([^|]+)\|/.exec(line);
      if (m)
        table.set(
          m[1]!,
          [...m[2]!.matchAll(/`([^`]+)`/g)].map((v) => v[1]!),
        );
    }
    const lists = (Object.entries(enums) as Array<[string, unknown]>).filter(
      (e): e is [string, readonly string[]] => Array.isArray(e[1]),
    );
    expect(lists.length).toBeGreaterThanOrEqual(10);
    for (const [name, values] of lists) expect(table.get(name), name).toEqual([...values]);
    expect([...table.keys()].sort()).toEqual(lists.map(([name]) => name).sort());
  });
});
