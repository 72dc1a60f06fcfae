import { z } from 'zod';

import type { AnyRoute } from './routes.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema; // OpenAPI 3.1's dialect is 2020-12 already
  return json;
}

/** Express `/notes/:id` → OpenAPI `/notes/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The OpenAPI 3.1 document of a service, generated from the same route definitions it serves. */
export function buildOpenApi(info: OpenApiInfo, routes: readonly AnyRoute[]): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    const responses: Record<string, unknown> = {};
    const success = route.status ?? (route.response ? (route.method === 'post' ? 201 : 200) : 204);
    responses[String(success)] = route.response
      ? { description: 'Success', content: { 'application/json': { schema: toSchema(route.response, 'output') } } }
      : { description: 'Success' };
    if (route.params || route.query || route.body)
      responses['400'] = problem('Invalid request (every bad field listed in `errors`)');
    if (route.body) {
      responses['413'] = problem('Body too large');
      responses['415'] = problem('Body is not application/json');
    }
    if (route.auth !== 'public') {
      responses['401'] = problem('Missing, expired or invalid access token');
      responses['403'] = problem('Role not allowed');
      responses['404'] = problem('Not found, or outside the caller’s scope');
    }
    responses['500'] = problem('Unexpected error');
    responses['503'] = problem('Database unavailable; retry after `Retry-After` seconds');
    const operation: Record<string, unknown> = {
      operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.tags ? { tags: route.tags } : {}),
      parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query')],
      ...(route.body
        ? {
            requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } },
          }
        : {}),
      responses,
      ...(route.auth === 'public'
        ? { security: [] }
        : { security: [{ bearer: [] }], 'x-roles': [...route.auth.roles] }),
    };
    paths[path] = { ...paths[path], [route.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (EdDSA)' } },
      schemas: {
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          properties: {
            type: { type: 'string', format: 'uri-reference' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            code: { type: 'string' },
            retriable: { type: 'boolean' },
            requestId: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } },
                required: ['path', 'code', 'message'],
              },
            },
          },
          required: ['type', 'title', 'status'],
        },
      },
    },
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A plain, self-contained page listing the operations (no external assets: machines are offline). */
export function docsPage(title: string, routes: readonly AnyRoute[]): string {
  const rows = routes
    .map(
      (r) =>
        `<tr><td><code>${r.method.toUpperCase()}</code></td><td><code>${escapeHtml(openApiPath(r.path))}</code></td>` +
        `<td>${escapeHtml(r.summary)}</td><td>${r.auth === 'public' ? 'public' : escapeHtml(r.auth.roles.join(', '))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} API</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style>
</head><body><h1>${escapeHtml(title)} API</h1>
<p>Machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> (RFC 9457).</p>
<table><thead><tr><th>Method</th><th>Path</th><th>Summary</th><th>Roles</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>`;
}
