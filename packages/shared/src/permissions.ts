/** Every permission in CloudNow: the one list both the server and the web app use. */
export const PERMISSIONS = [
  'tools:read',
  'tools:execute',
  'tools:approve',
  'tools:danger',
  'sessions:read',
  'sessions:write',
  'workflows:read',
  'workflows:write',
  'workflows:execute',
  'findings:read',
  'findings:write',
  'search:read',
  'search:write',
  'webhooks:manage',
  'admin:users',
  'admin:settings',
  'admin:audit',
  'admin:all',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What each role grants. `admin:all` implies every permission. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  viewer: ['tools:read', 'sessions:read', 'workflows:read', 'findings:read', 'search:read'],
  operator: [
    'tools:read',
    'tools:execute',
    'tools:approve',
    'sessions:read',
    'sessions:write',
    'workflows:read',
    'workflows:write',
    'workflows:execute',
    'findings:read',
    'findings:write',
    'search:read',
    'search:write',
  ],
  admin: [...PERMISSIONS],
};

/** Permissions an API key may never carry, whatever its creator holds. */
export const API_KEY_FORBIDDEN: readonly Permission[] = ['tools:danger', 'admin:users', 'admin:settings', 'admin:audit', 'admin:all'];

/** Whether a permission set grants `permission` (`admin:all` grants everything). */
export function hasPermission(granted: readonly string[], permission: Permission): boolean {
  return granted.includes(permission) || granted.includes('admin:all');
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
