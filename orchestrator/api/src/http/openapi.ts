import { z } from 'zod';
import { API_ROUTES, type RouteDef } from '../routes.js';
import { errorBodySchema } from '../schemas.js';

// The OpenAPI 3.1 document, generated from the route table and its zod schemas (zod 4's toJSONSchema),
// so the document cannot drift from what the server validates. Refinements that JSON Schema cannot say
// (komodod's cross-flag rules, derived-field checks) are enforced by the server and named in 400 replies.

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
};

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input; `error.field` names the first bad field, `error.issues` every one',
  401: 'No or unknown API key',
  403: 'The key lacks the role',
  404: 'No such chain, job or node (`error.field` names the reference)',
  409: 'Conflicts with existing state (duplicate identity, port taken)',
  413: 'Body too large',
  429: 'Rate limited',
};

function parameters(route: RouteDef): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (schema === undefined) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      out.push({
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        schema: toSchema(field as z.ZodType, 'input'),
      });
    }
  }
  return out;
}

export function buildOpenApi(info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const [name, r] of Object.entries(API_ROUTES)) {
    const route: RouteDef = r;
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses: Record<string, JsonSchema> = {
      [String(route.status)]: {
        description: route.summary,
        content: route.response
          ? { 'application/json': { schema: toSchema(route.response, 'output') } }
          : { [route.contentType ?? 'application/json']: { schema: {} } },
      },
    };
    const codes = [
      ...(route.params || route.query || route.body ? [400] : []),
      ...(route.auth ? [401, 429] : []),
      ...(route.auth === 'operator' ? [403] : []),
      ...(route.params ? [404] : []),
      ...(route.body ? [413] : []),
      ...(name === 'addChain' || name === 'importChains' ? [404, 409] : []),
    ];
    for (const code of [...new Set(codes)].sort())
      responses[String(code)] = {
        description: STATUS_TEXT[code] ?? 'Error',
        content: { 'application/json': { schema: errorRef } },
      };
    paths[path] = {
      ...paths[path],
      [route.method.toLowerCase()]: {
        operationId: name,
        summary: route.summary,
        ...(route.auth ? { security: [{ apiKey: [] }], 'x-role': route.auth } : { security: [] }),
        parameters: parameters(route),
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: toSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Komodo notary node orchestrator API',
      version: info.version,
      description:
        'Chains, jobs and nodes of the notary control plane. Send the API key as `Authorization: Bearer <key>`; reads need a viewer key, changes an operator key.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: toSchema(errorBodySchema, 'output') },
    },
    paths,
  };
}
