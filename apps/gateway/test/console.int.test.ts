/**
 * The console served by the gateway from `GATEWAY_CONSOLE_DIR`: the page, hashed assets with a long
 * cache, index.html for client routes, and none of the gateway's own routes shadowed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isGatewayPath } from '../src/http/console.js';
import { ADMIN, login, startGateway, type RunningGateway } from './support/harness.js';

describe('the console served by the gateway', () => {
  let gw: RunningGateway;
  const html =
    '<!doctype html><html><body><div id="root"></div><script src="/assets/index-Ab12Cd34.js"></script></body></html>';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongxin-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), html);
    writeFileSync(join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log("console")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    gw = await startGateway({ GATEWAY_CONSOLE_DIR: dir });
  });
  afterAll(async () => {
    await gw?.close();
  });

  const get = (path: string, headers: Record<string, string> = { accept: 'text/html' }) =>
    fetch(`${gw.url}${path}`, { headers });

  it('serves the page at / and index.html for client routes, revalidated', async () => {
    for (const path of ['/', '/login', '/children/abc123', '/facility/activities', '/accounts']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(await res.text(), path).toBe(html);
    }
  });

  it('serves hashed assets with a year-long immutable cache, and a missing asset is a 404 problem', async () => {
    const asset = await get('/assets/index-Ab12Cd34.js', { accept: '*/*' });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('console');
    const gzipped = await fetch(`${gw.url}/assets/index-Ab12Cd34.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('content-type')).toContain('javascript');
    expect(await gzipped.text()).toBe('console.log("console")');
    for (const path of ['/assets/..%2f..%2f..%2f..%2fetc%2fpasswd.js', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const escape = await get(path, { accept: '*/*', 'accept-encoding': 'gzip' });
      // Never the file: an asset path is refused, any other gets the page (the SPA fallback).
      const body = await escape.text();
      expect(body, path).not.toContain('root:');
      if (path.startsWith('/assets/')) expect(escape.status, path).not.toBe(200);
      else expect(body, path).toBe(html);
    }
    const icon = await get('/favicon.svg', { accept: '*/*' });
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    const missing = await get('/assets/index-Gone0000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });

  it('never shadows the gateway: /api, /auth, /.well-known, /users, /audit, probes answer as before', async () => {
    const api = await get('/api/registry/children');
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const unknownApi = await get('/api/nothing-here');
    expect(unknownApi.headers.get('content-type')).not.toContain('text/html');
    const me = await get('/auth/me');
    expect(me.status).toBe(401);
    const jwks = await get('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    for (const path of ['/users', '/audit', '/audit/verify', '/admin/keys/rotate']) {
      const res = await get(path);
      expect(res.headers.get('content-type'), path).toContain('application/problem+json');
    }
    expect((await get('/healthz', { accept: '*/*' })).status).toBe(200);
    const token = (await login(gw.url, ADMIN.username, ADMIN.password)).access;
    const users = await get('/users', { accept: 'text/html,application/json', authorization: `Bearer ${token}` });
    expect(users.status).toBe(200);
    expect(users.headers.get('content-type')).toContain('application/json');
    // Writes never reach the page.
    const post = await fetch(`${gw.url}/children`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(post.status).toBe(404);
  });

  it('names gateway paths by whole segments only', () => {
    expect(isGatewayPath('/api')).toBe(true);
    expect(isGatewayPath('/api/registry/children')).toBe(true);
    expect(isGatewayPath('/users/x/disable')).toBe(true);
    expect(isGatewayPath('/apiary')).toBe(false);
    expect(isGatewayPath('/audit-trail')).toBe(false);
    expect(isGatewayPath('/accounts')).toBe(false);
  });
});
