import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ReferenceData } from '../../generator/reference.ts';
import { AccountSchema, AfeSchema, OwnerSchema, WellSchema } from '../../../../contracts/reference.ts';
import { listOf } from '../../../../contracts/formats.ts';
import { COMMON_PROBLEMS, problemResponses } from '../../../../contracts/problem.ts';

const RESOURCES: {
  path: string;
  key: keyof ReferenceData;
  schema: TSchema & { $id?: string };
  summary: string;
}[] = [
  {
    path: '/v1/wells',
    key: 'wells',
    schema: WellSchema,
    summary: 'Wells with decline parameters and division of interest',
  },
  {
    path: '/v1/owners',
    key: 'owners',
    schema: OwnerSchema,
    summary: 'The company, working-interest partners, royalty and ORRI owners',
  },
  { path: '/v1/accounts', key: 'accounts', schema: AccountSchema, summary: 'Chart of accounts' },
  { path: '/v1/afes', key: 'afes', schema: AfeSchema, summary: 'Authorities for expenditure' },
];

export default async function referenceRoutes(fastify: FastifyInstance) {
  for (const resource of RESOURCES) {
    fastify.get(
      resource.path,
      {
        schema: {
          tags: ['reference'],
          summary: resource.summary,
          security: [{ bearerAuth: [] }, {}],
          response: { 200: listOf(Type.Ref(resource.schema)), ...problemResponses(...COMMON_PROBLEMS) },
        },
      },
      async () => ({ data: fastify.gl.referenceData()[resource.key] }),
    );
  }
}
