import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_KEY_FORBIDDEN, PERMISSIONS, type Permission } from '@cloudnow/shared';
import { api } from '../../api/client.ts';
import { can, useMe } from '../../api/session.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, TextInput, fieldError, formatDate } from '../../components/ui.tsx';
import { ConfirmButton, SecretOnce } from '../../components/admin/dialog.tsx';
import { Checkbox, CheckboxGroup, SectionHeader } from '../../components/admin/common.tsx';

interface ApiKey {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  permissions: Permission[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
const GRANTABLE = PERMISSIONS.filter((p) => !API_KEY_FORBIDDEN.includes(p));

/** API keys: create (the secret shown once, with a copy button), list, revoke. */
export default function ApiKeysSection() {
  const me = useMe();
  const qc = useQueryClient();
  const [all, setAll] = useState(false);
  const keys = useQuery({
    queryKey: ['admin', 'api-keys', all],
    queryFn: () => api.get<{ items: ApiKey[]; total: number }>('/api/api-keys', { limit: 100, offset: 0, ...(all ? { all: 'true' } : {}) }),
  });
  const mine = GRANTABLE.filter((p) => can(me.data, p));
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>(['tools:read']);
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post<ApiKey & { key: string }>('/api/api-keys', {
        name,
        permissions,
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
      }),
    onSuccess: (k) => {
      setSecret({ name: k.name, key: k.key });
      setName('');
      void qc.invalidateQueries({ queryKey: ['admin', 'api-keys'] });
    },
  });

  return (
    <>
      <SectionHeader
        title="API keys"
        actions={can(me.data, 'admin:users') ? <Checkbox label="Everyone’s keys" checked={all} onChange={setAll} /> : null}
      >
        Keys act as you with the permissions you pick (never admin ones). Send them as <code>Authorization: Bearer &lt;key&gt;</code>.
      </SectionHeader>
      {secret ? <SecretOnce label={`Your new key “${secret.name}”`} secret={secret.key} onDone={() => setSecret(null)} /> : null}
      <form
        className="card admin-form"
        aria-label="New API key"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="row">
          <TextInput
            label="Key name"
            required
            value={name}
            placeholder="e.g. CI pipeline"
            error={fieldError(create.error, 'name')}
            onChange={(e) => setName(e.target.value)}
          />
          <TextInput
            label="Expires on"
            type="date"
            value={expires}
            hint="Empty: never"
            error={fieldError(create.error, 'expiresAt')}
            onChange={(e) => setExpires(e.target.value)}
          />
        </div>
        <CheckboxGroup
          legend="Permissions"
          options={mine}
          value={permissions}
          onChange={setPermissions}
          error={fieldError(create.error, 'permissions')}
        />
        <ErrorBanner error={create.error} fields={['name', 'expiresAt', 'permissions']} />
        <Button type="submit" variant="primary" busy={create.isPending} disabled={!permissions.length}>
          Create key
        </Button>
      </form>
      <ErrorBanner error={keys.error} />
      {keys.isLoading ? (
        <Loading />
      ) : !keys.data?.items.length ? (
        <Empty title="No API keys yet" />
      ) : (
        <div className="table-wrap">
          <table aria-label="API keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Permissions</th>
                <th>Created</th>
                <th>Last used</th>
                <th>Expires</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <tr key={k.id}>
                  <td>
                    {k.name} {k.revokedAt ? <Badge tone="bad">revoked</Badge> : null}
                  </td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>
                    <div className="models">
                      {k.permissions.map((p) => (
                        <Badge key={p}>{p}</Badge>
                      ))}
                    </div>
                  </td>
                  <td>{formatDate(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? formatDate(k.lastUsedAt) : <span className="muted">never</span>}</td>
                  <td>{k.expiresAt ? formatDate(k.expiresAt) : <span className="muted">never</span>}</td>
                  <td className="actions-cell">
                    {!k.revokedAt ? (
                      <ConfirmButton
                        small
                        label="Revoke"
                        title={`Revoke “${k.name}”?`}
                        message="Anything using this key stops working at once. This cannot be undone."
                        onConfirm={async () => {
                          await api.del(`/api/api-keys/${k.id}`);
                          await qc.invalidateQueries({ queryKey: ['admin', 'api-keys'] });
                        }}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
