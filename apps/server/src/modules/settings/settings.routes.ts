import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorSchema } from '../auth/page.ts';
import { adminSettingsSchema, publicSettingsSchema, updateSettingsBody, type Settings } from './settings.schemas.ts';

const pickAdmin = (s: Settings) =>
  adminSettingsSchema.parse(Object.fromEntries(Object.keys(adminSettingsSchema.shape).map((k) => [k, s[k as keyof Settings]])));

/** Settings routes: the public subset for the sign-in page, and the admin GET/PUT. */
export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/settings/public',
    { config: { public: true }, schema: { tags: ['settings'], response: { 200: publicSettingsSchema } } },
    async () => {
      const s = await app.settings.all();
      return {
        name: s['portal.name'],
        signupEnabled: s['portal.signup_enabled'],
        maintenanceMode: s['portal.maintenance_mode'],
        maintenanceMessage: s['portal.maintenance_message'],
        termsUrl: s['portal.terms_url'],
        privacyUrl: s['portal.privacy_url'],
        setupComplete: s['setup.completed'],
      };
    },
  );
  r.get(
    '/api/admin/settings',
    {
      config: { permission: 'admin:settings' },
      schema: { tags: ['admin'], response: { 200: adminSettingsSchema, 401: errorSchema, 403: errorSchema } },
    },
    async () => pickAdmin(await app.settings.all()),
  );
  r.put(
    '/api/admin/settings',
    {
      config: { permission: 'admin:settings' },
      schema: {
        tags: ['admin'],
        body: updateSettingsBody,
        response: { 200: adminSettingsSchema, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (req) => pickAdmin(await app.settings.update(req.actor!, req.body as Partial<Settings>)),
  );
}
