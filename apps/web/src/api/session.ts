import { useQuery, useQueryClient } from '@tanstack/react-query';
import { hasPermission, type Permission } from '@cloudnow/shared';
import { api, ApiError } from './client.ts';

/** The signed-in actor (`GET /api/me`). */
export interface Me {
  userId: string;
  orgId: string;
  role: string;
  permissions: string[];
  via: 'session' | 'apiKey';
}

/** The Better Auth session (user name and email for the header). */
export interface AuthSession {
  user: { id: string; name: string; email: string; image?: string | null };
  session: { id: string; expiresAt: string };
}

/**
 * The current actor, or null when signed out. The Better Auth session is asked first (a 200 with
 * `null` when signed out), so a signed-out visit makes no failing request.
 */
export function useMe() {
  const qc = useQueryClient();
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      const session = await qc.fetchQuery({ queryKey: ['auth-session'], queryFn: getSession, staleTime: 5_000 });
      if (!session) return null;
      try {
        return await api.get<Me>('/api/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

const getSession = () => api.get<AuthSession | null>('/api/auth/get-session');

/** The signed-in user's profile from Better Auth. */
export function useAuthSession() {
  return useQuery({
    queryKey: ['auth-session'],
    queryFn: getSession,
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether the actor holds a permission (`admin:all` grants every one). */
export function can(me: Me | null | undefined, permission: Permission): boolean {
  return !!me && hasPermission(me.permissions, permission);
}
