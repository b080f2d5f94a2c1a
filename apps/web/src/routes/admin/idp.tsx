import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, TextInput, fieldError } from '../../components/ui.tsx';
import { ConfirmButton } from '../../components/admin/dialog.tsx';
import { Checkbox, SectionHeader, splitList } from '../../components/admin/common.tsx';

interface Idp {
  id: string;
  slug: string;
  label: string;
  discoveryUrl: string | null;
  authorizationUrl: string | null;
  tokenUrl: string | null;
  userInfoUrl: string | null;
  jwksUrl: string | null;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string[];
  pkce: boolean;
  adminGroups: string[];
  operatorGroups: string[];
  groupsClaim: string;
  enabled: boolean;
  callbackPath: string;
}
interface TestResult {
  ok: boolean;
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  warnings: string[];
  error: string | null;
}
const URLS = ['discoveryUrl', 'authorizationUrl', 'tokenUrl', 'userInfoUrl', 'jwksUrl'] as const;
const URL_LABEL: Record<(typeof URLS)[number], string> = {
  discoveryUrl: 'Discovery URL',
  authorizationUrl: 'Authorization URL',
  tokenUrl: 'Token URL',
  userInfoUrl: 'User info URL',
  jwksUrl: 'JWKS URL',
};

/** OIDC identity providers: list, add, edit, delete, enable, and "test connection". */
export default function IdpSection() {
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['admin', 'idp'],
    queryFn: () => api.get<{ items: Idp[]; total: number }>('/api/admin/idp', { limit: 100, offset: 0 }),
  });
  const [editing, setEditing] = useState<Idp | 'new' | null>(null);
  const [tested, setTested] = useState<Record<string, TestResult | string>>({});
  const refresh = () => void qc.invalidateQueries({ queryKey: ['admin', 'idp'] });
  const test = useMutation({
    mutationFn: (id: string) => api.post<TestResult>(`/api/admin/idp/${id}/test`),
    onSuccess: (r, id) => setTested((t) => ({ ...t, [id]: r })),
    onError: (e, id) => setTested((t) => ({ ...t, [id]: (e as Error).message })),
  });
  return (
    <>
      <SectionHeader
        title="Identity providers"
        actions={
          editing ? null : (
            <Button variant="primary" onClick={() => setEditing('new')}>
              Add provider
            </Button>
          )
        }
      >
        Single sign-on over OpenID Connect. Each enabled provider becomes a button on the sign-in page.
      </SectionHeader>
      {editing ? (
        <IdpForm
          key={editing === 'new' ? 'new' : editing.id}
          idp={editing === 'new' ? null : editing}
          onDone={() => (setEditing(null), refresh())}
        />
      ) : null}
      <ErrorBanner error={list.error} />
      {list.isLoading ? (
        <Loading />
      ) : !list.data?.items.length ? (
        <Empty title="No identity providers">People sign in with email and password until you add one.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Identity providers">
            <thead>
              <tr>
                <th>Provider</th>
                <th>Issuer</th>
                <th>Callback</th>
                <th>Status</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => {
                const t = tested[p.id];
                return (
                  <tr key={p.id}>
                    <td>
                      <strong>{p.label}</strong> <code className="muted">{p.slug}</code>
                    </td>
                    <td>{p.discoveryUrl ?? p.authorizationUrl}</td>
                    <td>
                      <code>{p.callbackPath}</code>
                    </td>
                    <td>
                      <Badge tone={p.enabled ? 'good' : 'neutral'}>{p.enabled ? 'enabled' : 'disabled'}</Badge>
                      {t ? (
                        <div className={typeof t === 'string' || !t.ok ? 'field-error' : 'muted'} role="status">
                          {typeof t === 'string' ? t : t.ok ? `Reachable: ${t.issuer ?? 'ok'}` : t.error}
                          {typeof t !== 'string' && t.warnings.length ? ` (${t.warnings.join('; ')})` : ''}
                        </div>
                      ) : null}
                    </td>
                    <td className="actions-cell">
                      <Button className="btn-small" busy={test.isPending && test.variables === p.id} onClick={() => test.mutate(p.id)}>
                        Test
                      </Button>{' '}
                      <Button className="btn-small" onClick={() => setEditing(p)}>
                        Edit
                      </Button>{' '}
                      <ConfirmButton
                        small
                        label="Delete"
                        title={`Delete ${p.label}?`}
                        message="Its sign-in button disappears; people who only sign in through it lose access."
                        onConfirm={async () => {
                          await api.del(`/api/admin/idp/${p.id}`);
                          refresh();
                        }}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function IdpForm({ idp, onDone }: { idp: Idp | null; onDone: () => void }) {
  const [slug, setSlug] = useState(idp?.slug ?? '');
  const [label, setLabel] = useState(idp?.label ?? '');
  const [urls, setUrls] = useState<Record<(typeof URLS)[number], string>>(
    Object.fromEntries(URLS.map((k) => [k, idp?.[k] ?? ''])) as Record<(typeof URLS)[number], string>,
  );
  const [clientId, setClientId] = useState(idp?.clientId ?? '');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState((idp?.scopes ?? ['openid', 'email', 'profile']).join(' '));
  const [pkce, setPkce] = useState(idp?.pkce ?? true);
  const [adminGroups, setAdminGroups] = useState((idp?.adminGroups ?? []).join(', '));
  const [operatorGroups, setOperatorGroups] = useState((idp?.operatorGroups ?? []).join(', '));
  const [groupsClaim, setGroupsClaim] = useState(idp?.groupsClaim ?? 'groups');
  const [enabled, setEnabled] = useState(idp?.enabled ?? true);
  const [result, setResult] = useState<TestResult | null>(null);
  const urlBody = () => Object.fromEntries(URLS.map((k) => [k, urls[k].trim() || null]));
  const save = useMutation({
    mutationFn: () => {
      const body = {
        label,
        ...urlBody(),
        clientId,
        ...(clientSecret ? { clientSecret } : {}),
        scopes: scopes.split(/[\s,]+/).filter(Boolean),
        pkce,
        adminGroups: splitList(adminGroups),
        operatorGroups: splitList(operatorGroups),
        groupsClaim,
        enabled,
      };
      if (!idp) {
        const create = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
        return api.post('/api/admin/idp', { slug, ...create });
      }
      return api.patch(`/api/admin/idp/${idp.id}`, body);
    },
    onSuccess: onDone,
  });
  const test = useMutation({
    mutationFn: () =>
      api.post<TestResult>(
        '/api/admin/idp/test',
        Object.fromEntries(Object.entries(urlBody()).filter(([k, v]) => v && k !== 'userInfoUrl')),
      ),
    onSuccess: setResult,
  });
  const err = (f: string) => fieldError(save.error, f) ?? fieldError(test.error, f);
  return (
    <form
      className="card admin-form"
      aria-label={idp ? `Edit ${idp.label}` : 'New identity provider'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>{idp ? `Edit ${idp.label}` : 'New identity provider'}</h3>
      <div className="row">
        <TextInput
          label="Slug"
          required
          value={slug}
          disabled={!!idp}
          hint="Used in the callback URL"
          error={err('slug')}
          onChange={(e) => setSlug(e.target.value)}
        />
        <TextInput
          label="Button label"
          required
          value={label}
          placeholder="Sign in with Okta"
          error={err('label')}
          onChange={(e) => setLabel(e.target.value)}
        />
      </div>
      {URLS.map((k) => (
        <TextInput
          key={k}
          label={URL_LABEL[k]}
          type="url"
          value={urls[k]}
          hint={k === 'discoveryUrl' ? '…/.well-known/openid-configuration; or give the authorization and token URLs' : undefined}
          error={err(k)}
          onChange={(e) => setUrls({ ...urls, [k]: e.target.value })}
        />
      ))}
      <div className="row">
        <Button busy={test.isPending} onClick={() => test.mutate()}>
          Test connection
        </Button>
        {result ? (
          <span role="status" className={result.ok ? '' : 'field-error'}>
            {result.ok ? `✓ Reachable (${result.issuer ?? 'no issuer'})` : `✗ ${result.error}`}
            {result.warnings.length ? ` — ${result.warnings.join('; ')}` : ''}
          </span>
        ) : null}
      </div>
      <ErrorBanner error={test.error} fields={[...URLS]} />
      <div className="row">
        <TextInput label="Client id" required value={clientId} error={err('clientId')} onChange={(e) => setClientId(e.target.value)} />
        <TextInput
          label="Client secret"
          type="password"
          autoComplete="new-password"
          value={clientSecret}
          placeholder={idp?.hasClientSecret ? 'Stored — type to replace' : ''}
          error={err('clientSecret')}
          onChange={(e) => setClientSecret(e.target.value)}
        />
      </div>
      <div className="row">
        <TextInput label="Scopes" value={scopes} hint="Space-separated" error={err('scopes')} onChange={(e) => setScopes(e.target.value)} />
        <TextInput label="Groups claim" value={groupsClaim} error={err('groupsClaim')} onChange={(e) => setGroupsClaim(e.target.value)} />
      </div>
      <div className="row">
        <TextInput
          label="Admin groups"
          value={adminGroups}
          hint="Comma-separated"
          error={err('adminGroups')}
          onChange={(e) => setAdminGroups(e.target.value)}
        />
        <TextInput
          label="Operator groups"
          value={operatorGroups}
          hint="Others become viewers"
          error={err('operatorGroups')}
          onChange={(e) => setOperatorGroups(e.target.value)}
        />
      </div>
      <Checkbox label="PKCE" checked={pkce} onChange={setPkce} />
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
      <ErrorBanner
        error={save.error}
        fields={['slug', 'label', 'clientId', 'clientSecret', 'scopes', 'groupsClaim', 'adminGroups', 'operatorGroups', ...URLS]}
      />
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {idp ? 'Save changes' : 'Add provider'}
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
