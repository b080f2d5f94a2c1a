import type { Role } from '@cloudnow/shared';
import type { CreatedAt, Timestamp } from '../../db/schema.ts';

/** Organization membership (Better Auth's `member` model mapped to `org_members`). */
export interface OrgMembersTable {
  id: string;
  org_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

/** Pending/accepted invitations (Better Auth's `invitation` model mapped to `org_invitations`). */
export interface OrgInvitationsTable {
  id: string;
  org_id: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'canceled' | 'rejected';
  inviter_id: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

declare module '../../db/schema.ts' {
  interface DB {
    org_members: OrgMembersTable;
    org_invitations: OrgInvitationsTable;
  }
}
