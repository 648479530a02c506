import { describe, expect, it } from 'vitest';
import { API_ROUTES, routePath } from '../routes.js';
import { buildOpenApi } from './openapi.js';

describe('OpenAPI document', () => {
  const doc = buildOpenApi({ version: '1.2.3' }) as {
    openapi: string;
    info: { version: string };
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };

  it('has every route of the table, with its method, role and parameters', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.2.3');
    for (const [name, route] of Object.entries(API_ROUTES)) {
      const op = doc.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(op, name).toBeDefined();
      expect(op?.operationId).toBe(name);
      expect(op?.['x-role']).toBe(route.auth === false ? undefined : route.auth);
    }
    const remove = doc.paths['/v1/chains/{id}']?.delete as {
      parameters: Array<{ name: string; in: string; required: boolean }>;
    };
    expect(remove.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
      expect.objectContaining({ name: 'keepData', in: 'query', required: false }),
    ]);
  });

  it('describes the add body from core schemas: entry keys, no extra keys, values as strings', () => {
    const add = doc.paths['/v1/chains']?.post as {
      requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } };
      responses: Record<string, unknown>;
    };
    const schema = add.requestBody.content['application/json'].schema as {
      properties: { entry: { properties: Record<string, { type?: string }>; additionalProperties: boolean } };
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.required).toEqual(['entry']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.entry.additionalProperties).toBe(false);
    expect(schema.properties.entry.properties.ac_supply?.type).toBe('string');
    expect(Object.keys(add.responses).sort()).toEqual([
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '429',
    ]);
  });
});

describe('routePath', () => {
  it('fills and encodes parameters so an id can never add a segment', () => {
    expect(routePath('getChain', { id: 'ccl' })).toBe('/v1/chains/ccl');
    expect(routePath('restartChain', { id: '../x' })).toBe('/v1/chains/..%2Fx/restart');
    expect(routePath('listChains')).toBe('/v1/chains');
  });
});
