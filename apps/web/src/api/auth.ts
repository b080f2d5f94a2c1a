import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from './client.ts';
import type { AuthProviders, PublicSettings, SetupStatus } from './types.ts';

/** First-run state (public): the sign-in page and the wizard read it. */
export function useSetupStatus() {
  return useQuery({ queryKey: ['setup-status'], queryFn: () => api.get<SetupStatus>('/api/setup/status'), staleTime: 5_000 });
}

/** The public portal settings (name, sign-up allowed, legal links). */
export function usePublicSettings() {
  return useQuery({ queryKey: ['settings-public'], queryFn: () => api.get<PublicSettings>('/api/settings/public'), staleTime: 60_000 });
}

/** The enabled identity providers, one SSO button each. */
export function useAuthProviders() {
  return useQuery({ queryKey: ['auth-providers'], queryFn: () => api.get<AuthProviders>('/api/auth/providers'), staleTime: 60_000 });
}

/**
 * The form field an auth error belongs to. Our routes name it in the message (`email: …`); Better
 * Auth's own answers carry it only in the code (`INVALID_EMAIL`, `PASSWORD_TOO_SHORT`).
 */
export function authErrorField(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  if (error.field) return error.field;
  const code = error.code.toUpperCase();
  if (code === 'INVALID_EMAIL_OR_PASSWORD') return 'password';
  if (code.includes('PASSWORD')) return 'password';
  if (code.includes('EMAIL') || code.includes('USER_ALREADY_EXISTS') || code === 'DOMAIN_NOT_ALLOWED') return 'email';
  if (code.includes('TERMS')) return 'acceptTerms';
  if (code.includes('NAME')) return 'name';
  return null;
}

/** The message of an auth error for one field (without a leading `field: ` path), or null. */
export function authFieldError(error: unknown, field: string): string | null {
  if (authErrorField(error) !== field || !(error instanceof Error)) return null;
  return stripField(error.message);
}

/** A server message without its leading field path: `"email: Invalid email"` → `"Invalid email"`. */
export function stripField(message: string): string {
  return message.replace(/^[A-Za-z_][\w.[\]-]*:\s/, '');
}

/** Starts an SSO sign-in: Better Auth answers with the IdP's authorisation URL. */
export async function startSso(providerId: string, callbackURL: string): Promise<void> {
  const res = await api.post<{ url?: string; redirect?: boolean }>('/api/auth/sign-in/social', { provider: providerId, callbackURL });
  if (res.url) window.location.assign(res.url);
}
