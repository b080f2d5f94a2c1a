import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { stripField, useSetupStatus } from '../api/auth.ts';
import { PROVIDER_TYPES, setupCall } from '../api/setup.ts';
import type { DetectedEnv } from '../api/types.ts';
import { Button, ErrorBanner, Loading, Select, TextInput } from '../components/ui.tsx';
import './auth.css';

const STEPS = ['Setup token', 'Admin account', 'AI model', 'Done'] as const;
const TOKEN_KEY = 'cloudnow.setup-token';

/** The message for one field of a wizard form (server messages start with the field path). */
function errorFor(error: unknown, field: string): string | null {
  return error instanceof ApiError && error.field === field ? stripField(error.message) : null;
}

/**
 * The first-run wizard: the setup token from the server log → the admin account (which signs you
 * in) → an AI provider (with a connection test) or the built-in offline model → done.
 */
export default function SetupPage() {
  const status = useSetupStatus();
  const [step, setStep] = useState(0);
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? '');
  const [env, setEnv] = useState<DetectedEnv | null>(null);

  if (status.isLoading) return <Loading />;
  if (status.data?.setupComplete && step < 3) {
    return (
      <main className="auth-page">
        <span className="auth-brand">CloudNow</span>
        <section className="auth-card">
          <h1>Setup is complete</h1>
          <p>This portal is already set up.</p>
          <Link className="btn btn-primary" to="/sign-in">
            Go to sign in
          </Link>
        </section>
      </main>
    );
  }

  return (
    <main className="auth-page">
      <span className="auth-brand">CloudNow</span>
      <section className="auth-card wide" aria-labelledby="setup-title">
        <h1 id="setup-title">Set up CloudNow</h1>
        <ol className="stepper" aria-label="Setup steps">
          {STEPS.map((s, i) => (
            <li key={s} className={i < step ? 'done' : i === step ? 'current' : undefined} aria-current={i === step ? 'step' : undefined}>
              {i + 1}. {s}
            </li>
          ))}
        </ol>
        {step === 0 ? (
          <TokenStep
            token={token}
            setToken={setToken}
            onDone={(e) => {
              sessionStorage.setItem(TOKEN_KEY, token.trim());
              setEnv(e);
              setStep(status.data?.adminCreated ? 2 : 1);
            }}
          />
        ) : null}
        {step === 1 ? <AdminStep token={token} env={env} onDone={() => setStep(2)} /> : null}
        {step === 2 ? (
          <AiStep token={token} onBack={status.data?.adminCreated ? null : () => setStep(1)} onDone={() => setStep(3)} />
        ) : null}
        {step === 3 ? <DoneStep token={token} /> : null}
      </section>
    </main>
  );
}

function TokenStep({ token, setToken, onDone }: { token: string; setToken: (t: string) => void; onDone: (env: DetectedEnv) => void }) {
  const check = useMutation({ mutationFn: () => setupCall<DetectedEnv>(token, 'GET', '/api/setup/detect-env'), onSuccess: onDone });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    check.mutate();
  };
  const tokenError =
    check.error instanceof ApiError && check.error.status === 403
      ? 'This is not the setup token. Copy it from the server log (the line “Setup is not complete…”).'
      : null;
  return (
    <form onSubmit={onSubmit} noValidate>
      <p className="muted">
        The server printed a one-time setup token in its log when it started. Paste it here to prove you run this server.
      </p>
      <ErrorBanner error={tokenError ? null : check.error} />
      <TextInput
        label="Setup token"
        autoComplete="off"
        spellCheck={false}
        required
        autoFocus
        value={token}
        onChange={(e) => setToken(e.target.value)}
        error={tokenError}
      />
      <Button type="submit" variant="primary" busy={check.isPending} disabled={!token.trim()}>
        Continue
      </Button>
    </form>
  );
}

function AdminStep({ token, env, onDone }: { token: string; env: DetectedEnv | null; onDone: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ name: '', email: '', password: '', orgName: '' });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const create = useMutation({
    mutationFn: () => setupCall(token, 'POST', '/api/setup/admin', form),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['setup-status'] });
      onDone();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const fields = ['name', 'email', 'password', 'orgName'];
  return (
    <form onSubmit={onSubmit} noValidate>
      {env ? (
        <dl className="env-list" aria-label="Detected environment">
          <dt>Database</dt>
          <dd>
            {env.database === 'pglite' ? 'Embedded (PGlite)' : 'PostgreSQL'}
            {env.vector ? ' with pgvector' : ''}
          </dd>
          <dt>Cache</dt>
          <dd>{env.cache === 'memory' ? 'In-process' : 'Valkey'}</dd>
          <dt>Public URL</dt>
          <dd>{env.publicUrl}</dd>
          <dt>OCI config file</dt>
          <dd>{env.ociConfigFile ? 'Found' : 'Not found (the sandbox tenancy is used)'}</dd>
        </dl>
      ) : null}
      <p className="muted">The first administrator and their organisation.</p>
      <ErrorBanner error={create.error} fields={fields} />
      <TextInput
        label="Your name"
        autoComplete="name"
        required
        value={form.name}
        onChange={set('name')}
        error={errorFor(create.error, 'name')}
      />
      <TextInput
        label="Email"
        type="email"
        autoComplete="email"
        required
        value={form.email}
        onChange={set('email')}
        error={errorFor(create.error, 'email')}
      />
      <TextInput
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters."
        value={form.password}
        onChange={set('password')}
        error={errorFor(create.error, 'password')}
      />
      <TextInput
        label="Organisation name"
        autoComplete="organization"
        required
        value={form.orgName}
        onChange={set('orgName')}
        error={errorFor(create.error, 'orgName')}
      />
      <Button type="submit" variant="primary" busy={create.isPending}>
        Create admin account
      </Button>
    </form>
  );
}

interface ProviderForm {
  providerType: string;
  baseUrl: string;
  region: string;
  model: string;
  apiKey: string;
}

function AiStep({ token, onBack, onDone }: { token: string; onBack: (() => void) | null; onDone: () => void }) {
  const [kind, setKind] = useState<'offline' | 'provider'>('offline');
  const [p, setP] = useState<ProviderForm>({ providerType: 'openai-compatible', baseUrl: '', region: '', model: '', apiKey: '' });
  // A result belongs to the values it tested: editing any of them clears it.
  const set = (k: keyof ProviderForm) => (e: { target: { value: string } }) => {
    setP((f) => ({ ...f, [k]: e.target.value }));
    test.reset();
  };
  const opt = (v: string) => (v.trim() ? v.trim() : undefined);
  const test = useMutation({
    mutationFn: () =>
      setupCall<{ ok: boolean; message: string }>(token, 'POST', '/api/setup/ai-provider/test', {
        providerType: p.providerType,
        apiKey: opt(p.apiKey),
        baseUrl: opt(p.baseUrl),
        region: opt(p.region),
        model: opt(p.model),
      }),
  });
  const save = useMutation({
    mutationFn: () =>
      setupCall(
        token,
        'POST',
        '/api/setup/ai-provider',
        kind === 'offline'
          ? { kind: 'offline' }
          : {
              kind: 'provider',
              providerType: p.providerType,
              baseUrl: opt(p.baseUrl) ?? null,
              region: opt(p.region) ?? null,
              model: opt(p.model),
              apiKey: opt(p.apiKey),
            },
      ),
    onSuccess: onDone,
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // A failed test names its field in the message ("apiKey: looks too short"): show it there.
  const testField = test.data && !test.data.ok ? (/^(\w+):\s/.exec(test.data.message)?.[1] ?? null) : null;
  const fieldMsg = (f: string) =>
    errorFor(save.error, f) ?? errorFor(test.error, f) ?? (testField === f ? stripField(test.data!.message) : null);
  const fields = ['providerType', 'baseUrl', 'region', 'model', 'apiKey'];
  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset className="choice-list" style={{ border: 0, padding: 0, margin: '0 0 1rem' }}>
        <legend className="muted" style={{ marginBottom: '0.5rem' }}>
          How should Charlie think?
        </legend>
        <label className="choice">
          <input type="radio" name="ai-kind" checked={kind === 'offline'} onChange={() => setKind('offline')} />
          <span>
            <strong>Built-in offline model</strong>
            <span className="muted">
              Deterministic and private: no key, no network. Good for trying CloudNow; add a provider later in Admin.
            </span>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="ai-kind" checked={kind === 'provider'} onChange={() => setKind('provider')} />
          <span>
            <strong>An AI provider</strong>
            <span className="muted">OCI Generative AI, OpenAI, Anthropic, Google, Azure or any OpenAI-compatible server.</span>
          </span>
        </label>
      </fieldset>
      {kind === 'provider' ? (
        <div>
          <Select label="Provider" value={p.providerType} onChange={set('providerType')} error={fieldMsg('providerType')}>
            {PROVIDER_TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </Select>
          <TextInput
            label="Base URL"
            type="url"
            placeholder={p.providerType === 'openai-compatible' ? 'http://localhost:11434/v1' : 'Optional'}
            value={p.baseUrl}
            onChange={set('baseUrl')}
            error={fieldMsg('baseUrl')}
          />
          {p.providerType === 'oci' ? (
            <TextInput
              label="Region"
              placeholder="e.g. us-chicago-1"
              value={p.region}
              onChange={set('region')}
              error={fieldMsg('region')}
            />
          ) : null}
          <TextInput
            label="Model"
            placeholder="e.g. gpt-4o-mini, llama3.1"
            value={p.model}
            onChange={set('model')}
            error={fieldMsg('model')}
          />
          {p.providerType !== 'oci' ? (
            <TextInput
              label="API key"
              type="password"
              autoComplete="off"
              value={p.apiKey}
              onChange={set('apiKey')}
              error={fieldMsg('apiKey')}
            />
          ) : null}
          <div className="row" style={{ marginBottom: '0.75rem' }}>
            <Button onClick={() => test.mutate()} busy={test.isPending}>
              Test connection
            </Button>
            {test.data ? (
              <span role="status" className={test.data.ok ? 'badge badge-good' : 'badge badge-bad'}>
                {test.data.ok ? '✓ ' : '✗ '}
                {test.data.message}
              </span>
            ) : null}
          </div>
          <ErrorBanner error={test.error} fields={fields} />
        </div>
      ) : null}
      <ErrorBanner error={save.error} fields={fields} />
      <div className="wizard-actions">
        {onBack ? <Button onClick={onBack}>Back</Button> : <span />}
        <Button type="submit" variant="primary" busy={save.isPending}>
          Continue
        </Button>
      </div>
    </form>
  );
}

function DoneStep({ token }: { token: string }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const complete = useMutation({
    mutationFn: () => setupCall(token, 'POST', '/api/setup/complete', {}),
    onSuccess: () => {
      sessionStorage.removeItem(TOKEN_KEY);
      qc.clear();
      void navigate('/', { replace: true });
    },
  });
  return (
    <div className="stack">
      <p>
        <strong>Almost there.</strong> Finishing setup retires the setup token; from now on people sign in with their accounts. You are
        signed in as the administrator.
      </p>
      <ErrorBanner error={complete.error} />
      <div>
        <Button variant="primary" onClick={() => complete.mutate()} busy={complete.isPending}>
          Finish setup
        </Button>
      </div>
    </div>
  );
}
