import { lazy, Suspense, type ComponentType } from 'react';
import { NavLink, Navigate, useParams } from 'react-router';
import type { Permission } from '@cloudnow/shared';
import { can, useMe } from '../../api/session.ts';
import { Loading, PageHeader } from '../../components/ui.tsx';
import '../../components/admin/admin.css';

interface Section {
  id: string;
  label: string;
  permission?: Permission;
  page: ComponentType;
}

/** Admin sections, each its own chunk; the nav shows those the actor may use. */
const SECTIONS: Section[] = [
  { id: 'members', label: 'Members', permission: 'admin:users', page: lazy(() => import('./members.tsx')) },
  { id: 'api-keys', label: 'API keys', page: lazy(() => import('./api-keys.tsx')) },
  { id: 'ai-providers', label: 'AI providers', permission: 'admin:settings', page: lazy(() => import('./ai-providers.tsx')) },
  { id: 'identity-providers', label: 'Identity providers', permission: 'admin:settings', page: lazy(() => import('./idp.tsx')) },
  { id: 'mcp', label: 'MCP servers', permission: 'admin:settings', page: lazy(() => import('./mcp.tsx')) },
  { id: 'webhooks', label: 'Webhooks', permission: 'webhooks:manage', page: lazy(() => import('./webhooks.tsx')) },
  { id: 'tool-policies', label: 'Tool policies', permission: 'admin:settings', page: lazy(() => import('./tool-policies.tsx')) },
  { id: 'settings', label: 'Settings', permission: 'admin:settings', page: lazy(() => import('./settings.tsx')) },
  { id: 'audit', label: 'Audit log', permission: 'admin:audit', page: lazy(() => import('./audit.tsx')) },
];

/** /admin and /admin/:section: the section nav and the chosen section. */
export default function AdminPage() {
  const { section } = useParams();
  const me = useMe();
  const allowed = SECTIONS.filter((s) => !s.permission || can(me.data, s.permission));
  if (!section) return <Navigate to={`/admin/${allowed[0]?.id ?? 'api-keys'}`} replace />;
  const current = SECTIONS.find((s) => s.id === section);
  const Page = current?.page;
  return (
    <>
      <PageHeader title="Admin">Members, access, providers, integrations and the portal’s settings.</PageHeader>
      <div className="admin">
        <nav className="admin-nav" aria-label="Admin sections">
          {allowed.map((s) => (
            <NavLink key={s.id} to={`/admin/${s.id}`} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {s.label}
            </NavLink>
          ))}
        </nav>
        <section aria-label={current?.label ?? 'Not found'} className="admin-body">
          {!current ? (
            <p>There is no admin section “{section}”.</p>
          ) : current.permission && !can(me.data, current.permission) ? (
            <p className="banner banner-error">You need the {current.permission} permission for this section.</p>
          ) : Page ? (
            <Suspense fallback={<Loading />}>
              <Page />
            </Suspense>
          ) : null}
        </section>
      </div>
    </>
  );
}
