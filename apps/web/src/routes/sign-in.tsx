import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { authErrorField, authFieldError, startSso, useAuthProviders, usePublicSettings, useSetupStatus } from '../api/auth.ts';
import { Button, ErrorBanner, Loading, TextInput } from '../components/ui.tsx';
import './auth.css';

/** Where to go after signing in: a same-origin path only (never an open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Sign-in: email and password, one button per enabled identity provider, a link to sign-up when allowed. */
export default function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  const status = useSetupStatus();
  const settings = usePublicSettings();
  const providers = useAuthProviders();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const signIn = useMutation({
    mutationFn: () => api.post('/api/auth/sign-in/email', { email: email.trim(), password }),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['me'] });
      qc.removeQueries({ queryKey: ['auth-session'] });
      void navigate(next, { replace: true });
    },
  });
  const sso = useMutation({ mutationFn: (id: string) => startSso(id, next) });

  if (status.isLoading) return <Loading />;
  if (status.data && !status.data.setupComplete) return <Navigate to="/setup" replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  const ssoProviders = providers.data?.providers ?? [];
  const portalName = settings.data?.name || 'CloudNow';

  return (
    <main className="auth-page">
      <span className="auth-brand">{portalName}</span>
      <section className="auth-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in</h1>
        {settings.data?.maintenanceMode ? (
          <div className="banner banner-info" role="status">
            {settings.data.maintenanceMessage || 'The portal is in maintenance mode.'}
          </div>
        ) : null}
        {ssoProviders.length > 0 ? (
          <>
            <div className="sso-list">
              {ssoProviders.map((p) => (
                <Button key={p.id} onClick={() => sso.mutate(p.id)} busy={sso.isPending && sso.variables === p.id}>
                  Continue with {p.label}
                </Button>
              ))}
            </div>
            <ErrorBanner error={sso.error} />
            <div className="divider">or with your email</div>
          </>
        ) : null}
        <form onSubmit={onSubmit} noValidate>
          <ErrorBanner error={authErrorField(signIn.error) ? null : signIn.error} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={authFieldError(signIn.error, 'email')}
          />
          <TextInput
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={authFieldError(signIn.error, 'password')}
          />
          <Button type="submit" variant="primary" busy={signIn.isPending} disabled={!email || !password}>
            Sign in
          </Button>
        </form>
        {settings.data?.signupEnabled ? (
          <p className="auth-footer">
            New here? <Link to={`/sign-up${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
          </p>
        ) : null}
      </section>
    </main>
  );
}
