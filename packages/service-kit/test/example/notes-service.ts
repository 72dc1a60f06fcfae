/**
 * The example service of the tests: notes officers keep about a child. It shows a whole service
 * built on service-kit — a mongoose model in its own database, region-scoped objects, strict
 * request schemas, roles, audit, and a lifecycle — in one small file.
 */
import { randomUUID } from 'node:crypto';

import { Schema } from 'mongoose';
import { z } from 'zod';

import {
  assertInScope,
  createDatabase,
  createService,
  defineRoute,
  regionFilter,
  type AuditSink,
  type Lifecycle,
  type Logger,
  type ServiceConfig,
} from '../../src/index.js';

const noteSchema = new Schema(
  {
    _id: { type: String, required: true },
    childId: { type: String, required: true },
    regionCode: { type: String, required: true },
    text: { type: String, required: true },
    childName: { type: String, required: true },
    birthDate: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'notes', versionKey: false },
);

const ZRegionCode = z.string().regex(/^\d{6,12}$/, 'a GB/T 2260 region code of 6-12 digits');
const ZNote = z.object({
  id: z.string(),
  childId: z.string(),
  regionCode: z.string(),
  text: z.string(),
  child: z.object({ name: z.string(), birthDate: z.string() }),
  createdBy: z.string(),
  createdAt: z.string(),
});
type NoteDoc = {
  _id: string;
  childId: string;
  regionCode: string;
  text: string;
  childName: string;
  birthDate: string;
  createdBy: string;
  createdAt: Date;
};
const toNote = (doc: NoteDoc): z.input<typeof ZNote> => ({
  id: doc._id,
  childId: doc.childId,
  regionCode: doc.regionCode,
  text: doc.text,
  child: { name: doc.childName, birthDate: doc.birthDate },
  createdBy: doc.createdBy,
  createdAt: doc.createdAt.toISOString(),
});

export interface NotesServiceOptions {
  mongodbUri: string;
  dbName: string;
  config: ServiceConfig;
  serverSelectionTimeoutMS?: number;
  heartbeatFrequencyMS?: number;
  lifecycles?: Lifecycle[];
  logger?: Logger;
  audit?: AuditSink;
}

export function createNotesService(options: NotesServiceOptions) {
  const db = createDatabase({
    uri: options.mongodbUri,
    dbName: options.dbName,
    ...(options.serverSelectionTimeoutMS ? { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS } : {}),
    ...(options.heartbeatFrequencyMS ? { heartbeatFrequencyMS: options.heartbeatFrequencyMS } : {}),
  });
  const Notes = db.connection.model<NoteDoc>('Note', noteSchema);
  const officers = ['city_admin', 'county_officer', 'township_officer'] as const;

  const createNote = defineRoute({
    method: 'post',
    path: '/children/:childId/notes',
    summary: 'Write a note about a child',
    tags: ['notes'],
    params: z.object({ childId: z.uuid() }),
    body: z.object({
      regionCode: ZRegionCode,
      text: z.string().min(1).max(2000),
      child: z.object({ name: z.string().min(1).max(50), birthDate: z.iso.date() }),
      purpose: z.string().max(200).optional(),
    }),
    response: ZNote,
    auth: { roles: officers },
    handler: async ({ params, body, principal, audit }) => {
      // Writing outside one's own regions answers like a missing child: 404.
      assertInScope(principal, { regionCode: body.regionCode });
      const doc: NoteDoc = {
        _id: randomUUID(),
        childId: params.childId,
        regionCode: body.regionCode,
        text: body.text,
        childName: body.child.name,
        birthDate: body.child.birthDate,
        createdBy: principal.sub,
        createdAt: new Date(),
      };
      await Notes.create(doc);
      await audit({ action: 'create', resource: 'child', resourceId: params.childId, outcome: 'success' });
      return toNote(doc);
    },
  });

  const readNote = defineRoute({
    method: 'get',
    path: '/notes/:id',
    summary: 'Read one note',
    tags: ['notes'],
    params: z.object({ id: z.uuid() }),
    response: ZNote,
    auth: { roles: [...officers, 'auditor'] },
    handler: async ({ params, principal, audit }) => {
      const note = assertInScope(principal, await Notes.findById(params.id).lean<NoteDoc>());
      await audit({ action: 'read', resource: 'child', resourceId: note.childId, outcome: 'success' });
      return toNote(note);
    },
  });

  const listNotes = defineRoute({
    method: 'get',
    path: '/notes',
    summary: 'List the notes in the caller’s regions',
    tags: ['notes'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
    response: z.object({ items: z.array(ZNote) }),
    auth: { roles: officers },
    handler: async ({ query, principal }) => {
      const docs = await Notes.find(regionFilter(principal))
        .sort({ createdAt: 1 })
        .limit(query.limit)
        .lean<NoteDoc[]>();
      return { items: docs.map(toNote) };
    },
  });

  const service = createService({
    name: 'notes',
    config: options.config,
    routes: [createNote, readNote, listNotes],
    mongoose: db,
    ...(options.lifecycles ? { lifecycles: options.lifecycles } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
  });
  return { service, db, Notes };
}
