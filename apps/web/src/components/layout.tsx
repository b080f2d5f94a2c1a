import { useEffect, useState } from 'react';
import { NavLink, Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { Permission } from '@cloudnow/shared';
import { api } from '../api/client.ts';
import { can, useAuthSession, useMe } from '../api/session.ts';
import { Button, Loading } from './ui.tsx';
import { useTheme } from './theme.tsx';

interface NavItem {
  to: string;
  label: string;
  permission?: Permission;
}

const NAV: NavItem[] = [
  { to: '/', label: 'Home' },
  { to: '/chat', label: 'Charlie', permission: 'sessions:read' },
  { to: '/approvals', label: 'Approvals', permission: 'tools:read' },
  { to: '/activity', label: 'Activity', permission: 'tools:read' },
  { to: '/tools', label: 'Tools', permission: 'tools:read' },
  { to: '/workflows', label: 'Workflows', permission: 'workflows:read' },
  { to: '/advisor', label: 'Advisor', permission: 'findings:read' },
  { to: '/search', label: 'Search', permission: 'sessions:read' },
  { to: '/admin', label: 'Admin', permission: 'admin:settings' },
];

/** The signed-in shell: navigation, the user menu and the page outlet. Signed-out visitors go to /sign-in. */
export function Layout() {
  const me = useMe();
  const session = useAuthSession();
  const { theme, toggle } = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  useEffect(() => setMenuOpen(false), [location.pathname]);

  if (me.isLoading) return <Loading label="Signing you in…" />;
  if (!me.data) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const signOut = async () => {
    await api.post('/api/auth/sign-out');
    qc.clear();
    void navigate('/sign-in');
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-label="Menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)}>
          ☰
        </button>
        <NavLink to="/" className="brand">
          CloudNow
        </NavLink>
        <div className="topbar-right">
          <span className="muted user-name">{session.data?.user.name ?? session.data?.user.email ?? ''}</span>
          <Button variant="ghost" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </Button>
          <Button variant="ghost" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </header>
      <nav className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Main">
        {NAV.filter((n) => !n.permission || can(me.data, n.permission)).map((n) => (
          <NavLink key={n.to} to={n.to} end={n.to === '/'} className={({ isActive }) => (isActive ? 'active' : undefined)}>
            {n.label}
          </NavLink>
        ))}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
