import { z } from 'zod';
import { ROLES } from '@cloudnow/shared';

/** A role name, refused with the list when unknown. */
export const roleSchema = z.enum(ROLES, { error: () => `must be one of ${ROLES.join(', ')}` });

export const createOrgBody = z.object({
  name: z.string().trim().min(1).max(100),
  slug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/, 'lowercase letters, digits and dashes (max 48)')
    .optional(),
});

export const orgSchema = z.object({ id: z.string(), name: z.string(), slug: z.string(), role: roleSchema });
export const memberSchema = z.object({ userId: z.string(), name: z.string(), email: z.string(), role: roleSchema, joinedAt: z.string() });
export const userIdParams = z.object({ userId: z.string().min(1).max(100) });
export const idParams = z.object({ id: z.string().uuid() });
export const changeRoleBody = z.object({ role: roleSchema });

export const createInvitationBody = z.object({ email: z.string().trim().max(254).pipe(z.email()), role: roleSchema });
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  status: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  link: z.string(),
});
export const invitationInfoSchema = z.object({
  id: z.string(),
  orgName: z.string(),
  email: z.string(),
  role: roleSchema,
  status: z.string(),
  expiresAt: z.string(),
});
export const acceptedSchema = z.object({ orgId: z.string(), orgName: z.string(), role: roleSchema });
