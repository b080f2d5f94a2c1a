import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { authErrorField, authFieldError, usePublicSettings } from '../api/auth.ts';
import { Button, ErrorBanner, Loading, TextInput } from '../components/ui.tsx';
import { safeNext } from './sign-in.tsx';
import './auth.css';

/** Self-service sign-up (when the admin allows it): the new account joins the default org as a viewer. */
export default function SignUpPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const qc = useQueryClient();
  const settings = usePublicSettings();
  const [form, setForm] = useState({ name: '', email: '', password: '', acceptTerms: false });
  const set = (k: keyof typeof form) => (e: { target: { value: string; checked?: boolean } }) =>
    setForm((f) => ({ ...f, [k]: k === 'acceptTerms' ? !!e.target.checked : e.target.value }));

  const needsTerms = !!(settings.data?.termsUrl || settings.data?.privacyUrl);
  const signUp = useMutation({
    mutationFn: () =>
      api.post('/api/auth/sign-up/email', {
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
        ...(needsTerms ? { acceptTerms: form.acceptTerms } : {}),
      }),
    onSuccess: () => {
      qc.removeQueries({ queryKey: ['me'] });
      qc.removeQueries({ queryKey: ['auth-session'] });
      void navigate(next, { replace: true });
    },
  });

  if (settings.isLoading) return <Loading />;
  if (settings.data && !settings.data.setupComplete) return <Navigate to="/setup" replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signUp.mutate();
  };
  const termsError = authFieldError(signUp.error, 'acceptTerms');

  return (
    <main className="auth-page">
      <span className="auth-brand">{settings.data?.name || 'CloudNow'}</span>
      <section className="auth-card" aria-labelledby="sign-up-title">
        <h1 id="sign-up-title">Create your account</h1>
        {settings.data && !settings.data.signupEnabled ? (
          <div className="banner banner-info" role="status">
            Sign-up is turned off on this portal. Ask an administrator for an invitation.
          </div>
        ) : (
          <form onSubmit={onSubmit} noValidate>
            <ErrorBanner error={authErrorField(signUp.error) ? null : signUp.error} />
            <TextInput
              label="Name"
              autoComplete="name"
              required
              value={form.name}
              onChange={set('name')}
              error={authFieldError(signUp.error, 'name')}
            />
            <TextInput
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={form.email}
              onChange={set('email')}
              error={authFieldError(signUp.error, 'email')}
            />
            <TextInput
              label="Password"
              type="password"
              autoComplete="new-password"
              required
              hint="At least 10 characters."
              value={form.password}
              onChange={set('password')}
              error={authFieldError(signUp.error, 'password')}
            />
            {needsTerms ? (
              <div className={termsError ? 'field-invalid' : undefined}>
                <label className="checkbox">
                  <input type="checkbox" checked={form.acceptTerms} onChange={set('acceptTerms')} />
                  <span>
                    I accept the{' '}
                    {settings.data?.termsUrl ? (
                      <a href={settings.data.termsUrl} target="_blank" rel="noreferrer">
                        terms of use
                      </a>
                    ) : null}
                    {settings.data?.termsUrl && settings.data?.privacyUrl ? ' and the ' : null}
                    {settings.data?.privacyUrl ? (
                      <a href={settings.data.privacyUrl} target="_blank" rel="noreferrer">
                        privacy policy
                      </a>
                    ) : null}
                  </span>
                </label>
                {termsError ? (
                  <small className="field-error" role="alert">
                    {termsError}
                  </small>
                ) : null}
              </div>
            ) : null}
            <Button type="submit" variant="primary" busy={signUp.isPending}>
              Create account
            </Button>
          </form>
        )}
        <p className="auth-footer">
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </section>
    </main>
  );
}
