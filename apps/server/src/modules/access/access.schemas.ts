import { z } from 'zod';
import { PERMISSIONS } from '@cloudnow/shared';

export const permissionSchema = z.enum(PERMISSIONS, { error: () => 'unknown permission' });

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(100),
  permissions: z.array(permissionSchema).min(1).max(PERMISSIONS.length),
  /** ISO date-time in the future (at most two years); omitted or null: never expires. */
  expiresAt: z.iso
    .datetime({ offset: true })
    .refine((v) => new Date(v).getTime() < Date.now() + 2 * 366 * 86_400_000, 'at most two years ahead')
    .nullable()
    .optional(),
});

export const apiKeySchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  prefix: z.string(),
  permissions: z.array(permissionSchema),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const createdApiKeySchema = apiKeySchema.extend({ key: z.string().describe('The secret: shown once, never again') });

export const listApiKeysQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const authSessionSchema = z.object({
  id: z.string(),
  ipAddress: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  lastActiveAt: z.string(),
  expiresAt: z.string(),
  current: z.boolean(),
});
