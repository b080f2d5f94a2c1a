import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ModelInfo } from '../../api/workflows.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, Select, TextInput, fieldError, formatDate } from '../../components/ui.tsx';
import { ConfirmButton } from '../../components/admin/dialog.tsx';
import { Checkbox, SectionHeader, splitList } from '../../components/admin/common.tsx';

const TYPES = ['openai-compatible', 'openai', 'anthropic', 'google', 'azure', 'oci'] as const;
type ProviderType = (typeof TYPES)[number] | 'offline';
const TYPE_LABEL: Record<ProviderType, string> = {
  'openai-compatible': 'OpenAI-compatible (Ollama, vLLM, …)',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  azure: 'Azure OpenAI',
  oci: 'OCI Generative AI',
  offline: 'Built-in offline model',
};

interface Provider {
  id: string;
  name: string;
  type: ProviderType;
  baseUrl: string | null;
  region: string | null;
  hasApiKey: boolean;
  models: string[];
  defaultModel: string | null;
  options: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

interface Draft {
  id: string;
  name: string;
  type: ProviderType;
  baseUrl: string;
  region: string;
  apiKey: string;
  clearKey: boolean;
  models: string;
  defaultModel: string;
  enabled: boolean;
}
const EMPTY: Draft = {
  id: '',
  name: '',
  type: 'openai-compatible',
  baseUrl: '',
  region: '',
  apiKey: '',
  clearKey: false,
  models: '',
  defaultModel: '',
  enabled: true,
};

/** AI providers: the list with their models, add, edit (the key: keep, replace or clear), delete. */
export default function AiProvidersSection() {
  const qc = useQueryClient();
  const providers = useQuery({
    queryKey: ['admin', 'ai-providers'],
    queryFn: () => api.get<{ items: Provider[]; total: number }>('/api/admin/ai-providers', { limit: 100, offset: 0 }),
  });
  const models = useQuery({ queryKey: ['models'], queryFn: () => api.get<{ models: ModelInfo[] }>('/api/models') });
  const [editing, setEditing] = useState<Provider | 'new' | null>(null);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['admin', 'ai-providers'] });
    void qc.invalidateQueries({ queryKey: ['models'] });
  };
  const toggle = useMutation({
    mutationFn: (p: Provider) => api.patch(`/api/admin/ai-providers/${p.id}`, { enabled: !p.enabled }),
    onSettled: refresh,
  });

  return (
    <>
      <SectionHeader
        title="AI providers"
        actions={
          editing ? null : (
            <Button variant="primary" onClick={() => setEditing('new')}>
              Add provider
            </Button>
          )
        }
      >
        The models Charlie and workflow AI steps can use. Keys are stored encrypted and never shown again.
      </SectionHeader>
      {editing ? (
        <ProviderForm
          key={editing === 'new' ? 'new' : editing.id}
          provider={editing === 'new' ? null : editing}
          onDone={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      <ErrorBanner error={providers.error ?? toggle.error} />
      {providers.isLoading ? (
        <Loading />
      ) : !providers.data?.items.length ? (
        <Empty title="No providers" />
      ) : (
        <div className="table-wrap">
          <table aria-label="AI providers">
            <thead>
              <tr>
                <th>Provider</th>
                <th>Type</th>
                <th>Models</th>
                <th>Key</th>
                <th>Status</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {providers.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <strong>{p.name}</strong>
                    <div className="muted">
                      <code>{p.id}</code> {p.baseUrl ?? p.region ?? ''}
                    </div>
                  </td>
                  <td>{TYPE_LABEL[p.type] ?? p.type}</td>
                  <td>
                    <div className="models">
                      {p.models.map((m) => (
                        <Badge key={m} tone={m === p.defaultModel ? 'info' : 'neutral'}>
                          {m}
                          {m === p.defaultModel ? ' (default)' : ''}
                        </Badge>
                      ))}
                      {!p.models.length ? <span className="muted">none</span> : null}
                    </div>
                  </td>
                  <td>{p.type === 'offline' ? '—' : p.hasApiKey ? 'stored' : <span className="muted">none</span>}</td>
                  <td>
                    <Badge tone={p.enabled ? 'good' : 'neutral'}>{p.enabled ? 'enabled' : 'disabled'}</Badge>
                  </td>
                  <td className="actions-cell">
                    <Button className="btn-small" onClick={() => toggle.mutate(p)}>
                      {p.enabled ? 'Disable' : 'Enable'}
                    </Button>{' '}
                    {p.type !== 'offline' ? (
                      <>
                        <TestSavedButton provider={p} />{' '}
                        <Button className="btn-small" onClick={() => setEditing(p)}>
                          Edit
                        </Button>{' '}
                        <ConfirmButton
                          small
                          label="Delete"
                          title={`Delete ${p.name}?`}
                          message="Its models disappear from the model picker; chats and AI steps using them will fail."
                          onConfirm={async () => {
                            await api.del(`/api/admin/ai-providers/${p.id}`);
                            refresh();
                          }}
                        />
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SectionHeader title="Enabled models">What people can pick in Charlie and in AI steps.</SectionHeader>
      {models.data?.models.length ? (
        <ul aria-label="Enabled models">
          {models.data.models.map((m) => (
            <li key={m.id}>
              <code>{m.id}</code> — {m.label}
              {m.offline ? ' (offline)' : ''}
              {m.default ? ' · default' : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No model is enabled.</p>
      )}
      <p className="muted">
        Last change:{' '}
        {formatDate(
          providers.data?.items
            .map((p) => p.updatedAt)
            .sort()
            .pop(),
        )}
      </p>
    </>
  );
}

/** A live connection test's answer (`POST /api/admin/ai-providers[/:id]/test`). */
interface ConnectionTest {
  ok: boolean;
  message: string;
  latencyMs: number;
}

function TestResult({ result, error }: { result: ConnectionTest | undefined; error: unknown }) {
  if (error) return <ErrorBanner error={error} />;
  if (!result) return null;
  return (
    <div className={`banner ${result.ok ? 'banner-success' : 'banner-error'}`} role="status">
      {result.message}
    </div>
  );
}

/** "Test" on a saved provider: asks its default model for a one-word answer with the stored key. */
function TestSavedButton({ provider }: { provider: Provider }) {
  const test = useMutation({ mutationFn: () => api.post<ConnectionTest>(`/api/admin/ai-providers/${provider.id}/test`, {}) });
  return (
    <span className="test-saved">
      <Button className="btn-small" busy={test.isPending} onClick={() => test.mutate()} disabled={!provider.models.length}>
        Test
      </Button>
      {test.data ? (
        <Badge tone={test.data.ok ? 'good' : 'bad'}>
          <span title={test.data.message}>{test.data.ok ? `ok · ${test.data.latencyMs} ms` : 'failed'}</span>
        </Badge>
      ) : null}
      {test.data && !test.data.ok ? <div className="field-error">{test.data.message}</div> : null}
      {test.error ? <div className="field-error">{test.error instanceof Error ? test.error.message : String(test.error)}</div> : null}
    </span>
  );
}

function ProviderForm({ provider, onDone }: { provider: Provider | null; onDone: () => void }) {
  const [d, setD] = useState<Draft>(
    provider
      ? {
          ...EMPTY,
          id: provider.id,
          name: provider.name,
          type: provider.type,
          baseUrl: provider.baseUrl ?? '',
          region: provider.region ?? '',
          models: provider.models.join(', '),
          defaultModel: provider.defaultModel ?? '',
          enabled: provider.enabled,
        }
      : EMPTY,
  );
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const modelList = splitList(d.models);
  const save = useMutation({
    mutationFn: () => {
      const common = {
        name: d.name,
        baseUrl: d.baseUrl.trim() || null,
        region: d.region.trim() || null,
        models: modelList,
        defaultModel: d.defaultModel || null,
        enabled: d.enabled,
      };
      if (!provider)
        return api.post('/api/admin/ai-providers', { id: d.id, type: d.type, ...common, ...(d.apiKey ? { apiKey: d.apiKey } : {}) });
      return api.patch(`/api/admin/ai-providers/${provider.id}`, {
        ...common,
        ...(d.clearKey ? { apiKey: null } : d.apiKey ? { apiKey: d.apiKey } : {}),
      });
    },
    onSuccess: onDone,
  });
  // The form's values as typed; a saved provider without a new key is tested with its stored key.
  const test = useMutation({
    mutationFn: () => {
      const model = d.defaultModel || modelList[0]!;
      if (provider && !d.apiKey && !d.clearKey) return api.post<ConnectionTest>(`/api/admin/ai-providers/${provider.id}/test`, { model });
      return api.post<ConnectionTest>('/api/admin/ai-providers/test', {
        type: d.type,
        baseUrl: d.baseUrl.trim() || null,
        region: d.region.trim() || null,
        apiKey: d.apiKey || null,
        model,
      });
    },
  });
  const err = (f: string) => fieldError(save.error, f) ?? fieldError(test.error, f);
  const needsUrl = d.type === 'openai-compatible' || d.type === 'azure';
  return (
    <form
      className="card admin-form"
      aria-label={provider ? `Edit ${provider.name}` : 'New AI provider'}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>{provider ? `Edit ${provider.name}` : 'New AI provider'}</h3>
      <div className="row">
        <Select
          label="Type"
          value={d.type}
          disabled={!!provider}
          error={err('type')}
          onChange={(e) => set({ type: e.target.value as ProviderType })}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABEL[t]}
            </option>
          ))}
        </Select>
        <TextInput
          label="Provider id"
          required
          value={d.id}
          disabled={!!provider}
          hint="Lowercase, e.g. ollama; models are named <id>:<model>"
          error={err('id')}
          onChange={(e) => set({ id: e.target.value })}
        />
        <TextInput label="Display name" required value={d.name} error={err('name')} onChange={(e) => set({ name: e.target.value })} />
      </div>
      <div className="row">
        {needsUrl || d.baseUrl ? (
          <TextInput
            label="Base URL"
            type="url"
            value={d.baseUrl}
            placeholder="https://llm.example.com/v1"
            hint={d.type === 'openai-compatible' ? 'Required: the OpenAI-compatible endpoint' : undefined}
            error={err('baseUrl')}
            onChange={(e) => set({ baseUrl: e.target.value })}
          />
        ) : null}
        {d.type === 'oci' ? (
          <TextInput
            label="Region"
            value={d.region}
            placeholder="eu-frankfurt-1"
            error={err('region')}
            onChange={(e) => set({ region: e.target.value })}
          />
        ) : null}
        <TextInput
          label="API key"
          type="password"
          autoComplete="new-password"
          value={d.apiKey}
          placeholder={provider?.hasApiKey ? 'Stored — type to replace' : ''}
          error={err('apiKey')}
          onChange={(e) => set({ apiKey: e.target.value })}
        />
      </div>
      {provider?.hasApiKey ? <Checkbox label="Remove the stored key" checked={d.clearKey} onChange={(v) => set({ clearKey: v })} /> : null}
      <div className="row">
        <TextInput
          label="Models"
          value={d.models}
          placeholder="llama3.1:8b, qwen2.5:7b"
          hint="Comma-separated model names the provider serves"
          error={err('models')}
          onChange={(e) => set({ models: e.target.value })}
        />
        <Select
          label="Default model"
          value={d.defaultModel}
          error={err('defaultModel')}
          onChange={(e) => set({ defaultModel: e.target.value })}
        >
          <option value="">None</option>
          {modelList.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </Select>
      </div>
      <Checkbox label="Enabled" checked={d.enabled} onChange={(v) => set({ enabled: v })} />
      <ErrorBanner error={save.error} fields={['id', 'name', 'type', 'baseUrl', 'region', 'apiKey', 'models', 'defaultModel']} />
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          {provider ? 'Save changes' : 'Add provider'}
        </Button>
        <Button
          busy={test.isPending}
          disabled={!(d.defaultModel || modelList[0])}
          title={d.defaultModel || modelList[0] ? undefined : 'Name a model first'}
          onClick={() => test.mutate()}
        >
          Test connection
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
      <TestResult result={test.data} error={test.error} />
    </form>
  );
}
