import { z } from 'zod';

const url = z
  .string()
  .max(2000)
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL');
const domain = z
  .string()
  .min(1)
  .max(253)
  .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'must be a domain like example.com')
  .transform((v) => v.toLowerCase());

/** The admin-editable portal settings with their types and bounds (the PUT body is a partial of it). */
export const portalSettingsSchema = z.object({
  'portal.name': z.string().trim().min(1).max(100),
  'portal.signup_enabled': z.boolean(),
  'portal.allowed_domains': z.array(domain).max(100),
  /** Maximum age of a sign-in session in minutes (5 minutes to 90 days). */
  'portal.session_timeout': z
    .number()
    .int()
    .min(5)
    .max(90 * 24 * 60),
  'portal.maintenance_mode': z.boolean(),
  'portal.maintenance_message': z.string().max(1000),
  'portal.terms_url': url.nullable(),
  'portal.privacy_url': url.nullable(),
});

/** Every setting the portal reads (portal settings plus what setup stores). */
export interface Settings extends z.infer<typeof portalSettingsSchema> {
  /** The org new sign-ups join (set by setup). */
  'portal.default_org_id': string | null;
  /** Whether the setup wizard has completed. */
  'setup.completed': boolean;
  /** The AI choice made during setup (no secrets): the AI providers module takes it over later. */
  'setup.ai_provider':
    { kind: 'offline' } | { kind: 'provider'; providerType: string; baseUrl: string | null; model: string | null } | null;
}

/** Values used until a setting is first written. */
export const SETTING_DEFAULTS: Settings = {
  'portal.name': 'CloudNow',
  'portal.signup_enabled': false,
  'portal.allowed_domains': [],
  'portal.session_timeout': 7 * 24 * 60,
  'portal.maintenance_mode': false,
  'portal.maintenance_message': '',
  'portal.terms_url': null,
  'portal.privacy_url': null,
  'portal.default_org_id': null,
  'setup.completed': false,
  'setup.ai_provider': null,
};

export type SettingKey = keyof Settings;

/** PUT /api/admin/settings: any subset of the portal settings, at least one, unknown keys refused. */
export const updateSettingsBody = portalSettingsSchema
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'at least one setting');

/** The public subset the sign-in page needs. */
export const publicSettingsSchema = z.object({
  name: z.string(),
  signupEnabled: z.boolean(),
  maintenanceMode: z.boolean(),
  maintenanceMessage: z.string(),
  termsUrl: z.string().nullable(),
  privacyUrl: z.string().nullable(),
  setupComplete: z.boolean(),
});

export const adminSettingsSchema = portalSettingsSchema;
