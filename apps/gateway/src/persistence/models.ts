/**
 * The gateway's collections. Unique keys are `_id`s (unique inserts are atomic on FerretDB too):
 * a user's `_id` is the username, a refresh token's is the SHA-256 of the token, an audit entry's
 * is its sequence number.
 */
import type { Department, Role } from '@tongxin/service-kit';
import { Schema, type Connection, type Model } from 'mongoose';

export interface UserDoc {
  /** The username (lower case): also the token's `sub`. */
  _id: string;
  name: string;
  role: Role;
  /** Token scope claims. */
  regions: string[];
  facilities: string[];
  donorOrgs: string[];
  volunteerOrgs: string[];
  department?: Department;
  /** Where the account sits for administration (who may manage it); absent for city administrators. */
  adminRegion?: string;
  passwordHash: string;
  disabled: boolean;
  failedLogins: number;
  locked: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefreshTokenDoc {
  /** SHA-256 (hex) of the opaque token: the token itself is never stored. */
  _id: string;
  family: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
  /** Set when it was exchanged: presenting it again is reuse and revokes the family. */
  usedAt?: Date;
  revokedAt?: Date;
}

export interface AuditDoc {
  /** Sequence number: 1, 2, 3… */
  _id: number;
  at: Date;
  user: string;
  roles: string[];
  method: string;
  /** The path without its query string (queries may hold names). */
  path: string;
  status: number;
  purpose?: string;
  action: 'read' | 'create' | 'update' | 'delete' | 'admin';
  /** `registry`, `facilities`… or `gateway` for the gateway's own administration. */
  target: string;
  childId?: string;
  requestId: string;
  prevHash: string;
  hash: string;
}

const strings = { type: [String], default: [] };

export function gatewayModels(connection: Connection) {
  const Users = connection.model<UserDoc>(
    'User',
    new Schema<UserDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        role: { type: String, required: true },
        regions: strings,
        facilities: strings,
        donorOrgs: strings,
        volunteerOrgs: strings,
        department: String,
        adminRegion: String,
        passwordHash: { type: String, required: true },
        disabled: { type: Boolean, default: false },
        failedLogins: { type: Number, default: 0 },
        locked: { type: Boolean, default: false },
        createdBy: { type: String, required: true },
      },
      { collection: 'users', timestamps: true, versionKey: false },
    ),
  );
  const RefreshTokens = connection.model<RefreshTokenDoc>(
    'RefreshToken',
    new Schema<RefreshTokenDoc>(
      {
        _id: String,
        family: { type: String, required: true },
        userId: { type: String, required: true },
        expiresAt: { type: Date, required: true },
        createdAt: { type: Date, required: true },
        usedAt: Date,
        revokedAt: Date,
      },
      { collection: 'refresh_tokens', versionKey: false },
    ),
  );
  const auditSchema = new Schema<AuditDoc>(
    {
      _id: Number,
      at: { type: Date, required: true },
      user: { type: String, required: true },
      roles: strings,
      method: { type: String, required: true },
      path: { type: String, required: true },
      status: { type: Number, required: true },
      purpose: String,
      action: { type: String, required: true },
      target: { type: String, required: true },
      childId: String,
      requestId: { type: String, required: true },
      prevHash: { type: String, required: true },
      hash: { type: String, required: true },
    },
    { collection: 'audit_chain', versionKey: false },
  );
  // Append-only through this model: the chain detects changes made behind its back.
  for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'deleteOne', 'deleteMany'] as const) {
    auditSchema.pre(op, () => {
      throw new Error('the audit chain is append-only');
    });
  }
  const AuditChain = connection.model<AuditDoc>('AuditEntry', auditSchema);
  return { Users, RefreshTokens, AuditChain } as {
    Users: Model<UserDoc>;
    RefreshTokens: Model<RefreshTokenDoc>;
    AuditChain: Model<AuditDoc>;
  };
}
export type GatewayModels = ReturnType<typeof gatewayModels>;
