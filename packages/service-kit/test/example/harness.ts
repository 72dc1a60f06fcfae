import { mongodbUri, uniqueDatabase } from '@tongxin/testkit';

import type { ServiceConfig } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing.js';
import { createNotesService, type NotesServiceOptions } from './notes-service.js';

export const PINGJIANG = '430626'; // Pingjiang county
export const YUEYANG_LOUQU = '430602';
export const CHILD_ID = '0197a3c2-5f1e-7c3a-9b1d-2e4f6a8b0c1d';

export interface RunningNotes extends ReturnType<typeof createNotesService> {
  issuer: TestIssuer;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The example service on its own fresh database, listening on a free port. */
export async function startNotes(
  options: Partial<Omit<NotesServiceOptions, 'config'>> & { config?: ServiceConfig } = {},
): Promise<RunningNotes> {
  const issuer = await createTestIssuer();
  const notes = createNotesService({
    mongodbUri: options.mongodbUri ?? mongodbUri(),
    dbName: options.dbName ?? uniqueDatabase('notes'),
    ...options,
    config: {
      PORT: 0,
      LOG_LEVEL: 'silent',
      JWT_PUBLIC_JWK: issuer.jwks,
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      ...options.config,
    },
  });
  const { port } = await notes.service.start();
  return {
    ...notes,
    issuer,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (notes.db.isReady()) await notes.db.connection.dropDatabase().catch(() => {});
      await notes.service.stop();
    },
  };
}

/** A county officer of Pingjiang. */
export const pingjiangOfficer = {
  sub: 'officer-pj-1',
  name: '李明',
  roles: ['county_officer' as const],
  regions: [PINGJIANG],
  department: 'civil_affairs' as const,
};

export const validNote = (overrides: Record<string, unknown> = {}) => ({
  regionCode: '430626101',
  text: 'Visited the grandmother; school attendance is regular.',
  child: { name: '小红', birthDate: '2014-05-01' },
  ...overrides,
});
