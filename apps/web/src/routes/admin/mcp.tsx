import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, Select, TextArea, TextInput, fieldError } from '../../components/ui.tsx';
import { ConfirmButton } from '../../components/admin/dialog.tsx';
import { Checkbox, SectionHeader, parsePairs } from '../../components/admin/common.tsx';
import { JsonField } from '../../components/workflows/fields.tsx';

interface Server {
  id: string;
  name: string;
  transport: 'stdio' | 'http' | 'sse';
  command: string | null;
  args: string[];
  url: string | null;
  hasSecrets: boolean;
  enabled: boolean;
  status: string;
  lastError: string | null;
  toolCount: number;
  connected: boolean;
  uptimeSeconds: number | null;
}
interface McpTool {
  qualifiedName: string;
  serverId: string;
  serverName: string;
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

/** MCP servers: add, connect / disconnect / restart, enable, delete; their tools, with a test call. */
export default function McpSection() {
  const qc = useQueryClient();
  const servers = useQuery({
    queryKey: ['admin', 'mcp'],
    queryFn: () => api.get<{ items: Server[]; total: number }>('/api/admin/mcp/servers', { limit: 100, offset: 0 }),
  });
  const tools = useQuery({ queryKey: ['admin', 'mcp-tools'], queryFn: () => api.get<{ items: McpTool[] }>('/api/admin/mcp/tools') });
  const [adding, setAdding] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['admin', 'mcp'] });
    void qc.invalidateQueries({ queryKey: ['admin', 'mcp-tools'] });
  };
  const act = useMutation({
    mutationFn: (v: { id: string; action: 'connect' | 'disconnect' | 'restart' | 'enable' | 'disable' }) =>
      v.action === 'enable' || v.action === 'disable'
        ? api.patch(`/api/admin/mcp/servers/${v.id}`, { enabled: v.action === 'enable' })
        : api.post(`/api/admin/mcp/servers/${v.id}/${v.action}`),
    onSettled: refresh,
  });
  return (
    <>
      <SectionHeader
        title="MCP servers"
        actions={
          adding ? null : (
            <Button variant="primary" onClick={() => setAdding(true)}>
              Add server
            </Button>
          )
        }
      >
        External Model Context Protocol servers whose tools Charlie and workflows can call (through the same approval gate).
      </SectionHeader>
      {adding ? <ServerForm onDone={() => (setAdding(false), refresh())} /> : null}
      <ErrorBanner error={servers.error ?? act.error} />
      {servers.isLoading ? (
        <Loading />
      ) : !servers.data?.items.length ? (
        <Empty title="No MCP servers" />
      ) : (
        <div className="table-wrap">
          <table aria-label="MCP servers">
            <thead>
              <tr>
                <th>Server</th>
                <th>Transport</th>
                <th>Status</th>
                <th>Tools</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {servers.data.items.map((s) => {
                const busy = act.isPending && act.variables?.id === s.id;
                return (
                  <tr key={s.id}>
                    <td>
                      <strong>{s.name}</strong>
                      <div className="muted">
                        <code>{s.url ?? [s.command, ...s.args].join(' ')}</code>
                      </div>
                    </td>
                    <td>{s.transport}</td>
                    <td>
                      <Badge tone={s.connected ? 'good' : s.lastError ? 'bad' : 'neutral'}>{s.status}</Badge>
                      {!s.enabled ? <Badge>disabled</Badge> : null}
                      {s.lastError ? <div className="field-error">{s.lastError}</div> : null}
                      {s.uptimeSeconds !== null ? <div className="muted">up {Math.round(s.uptimeSeconds / 60)} min</div> : null}
                    </td>
                    <td>{s.toolCount}</td>
                    <td className="actions-cell">
                      {s.connected ? (
                        <>
                          <Button className="btn-small" busy={busy} onClick={() => act.mutate({ id: s.id, action: 'restart' })}>
                            Restart
                          </Button>{' '}
                          <Button className="btn-small" disabled={busy} onClick={() => act.mutate({ id: s.id, action: 'disconnect' })}>
                            Disconnect
                          </Button>
                        </>
                      ) : (
                        <Button
                          className="btn-small"
                          busy={busy}
                          disabled={!s.enabled}
                          onClick={() => act.mutate({ id: s.id, action: 'connect' })}
                        >
                          Connect
                        </Button>
                      )}{' '}
                      <Button
                        className="btn-small"
                        disabled={busy}
                        onClick={() => act.mutate({ id: s.id, action: s.enabled ? 'disable' : 'enable' })}
                      >
                        {s.enabled ? 'Disable' : 'Enable'}
                      </Button>{' '}
                      <ConfirmButton
                        small
                        label="Delete"
                        title={`Delete ${s.name}?`}
                        message="It is disconnected and its tools disappear from Charlie and workflows."
                        onConfirm={async () => {
                          await api.del(`/api/admin/mcp/servers/${s.id}`);
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
      <SectionHeader title="Tools from MCP servers">Connected servers’ tools; try one with arguments.</SectionHeader>
      <ErrorBanner error={tools.error} />
      {tools.data?.items.length ? <ToolTester tools={tools.data.items} /> : <p className="muted">No tools: connect a server first.</p>}
    </>
  );
}

function ServerForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [transport, setTransport] = useState<'stdio' | 'http' | 'sse'>('http');
  const [url, setUrl] = useState('');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [env, setEnv] = useState('');
  const [headers, setHeaders] = useState('');
  const [enabled, setEnabled] = useState(true);
  const save = useMutation({
    mutationFn: () =>
      api.post('/api/admin/mcp/servers', {
        name,
        transport,
        enabled,
        ...(transport === 'stdio'
          ? { command, args: args.split('\n').filter((a) => a.trim()), env: parsePairs(env, '=') }
          : { url, headers: parsePairs(headers, ':') }),
      }),
    onSuccess: onDone,
  });
  const err = (f: string) => fieldError(save.error, f);
  return (
    <form
      className="card admin-form"
      aria-label="New MCP server"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <h3>New MCP server</h3>
      <div className="row">
        <TextInput label="Name" required value={name} error={err('name')} onChange={(e) => setName(e.target.value)} />
        <Select
          label="Transport"
          value={transport}
          error={err('transport')}
          onChange={(e) => setTransport(e.target.value as typeof transport)}
        >
          <option value="http">Streamable HTTP</option>
          <option value="sse">SSE</option>
          <option value="stdio">stdio (a local command)</option>
        </Select>
      </div>
      {transport === 'stdio' ? (
        <>
          <TextInput
            label="Command"
            value={command}
            placeholder="npx"
            error={err('command')}
            onChange={(e) => setCommand(e.target.value)}
          />
          <TextArea
            label="Arguments"
            rows={3}
            value={args}
            hint="One per line"
            error={err('args')}
            onChange={(e) => setArgs(e.target.value)}
          />
          <TextArea
            label="Environment"
            rows={3}
            value={env}
            hint="KEY=value per line; stored encrypted"
            error={err('env')}
            onChange={(e) => setEnv(e.target.value)}
          />
        </>
      ) : (
        <>
          <TextInput
            label="URL"
            type="url"
            value={url}
            placeholder="https://mcp.example.com/mcp"
            error={err('url')}
            onChange={(e) => setUrl(e.target.value)}
          />
          <TextArea
            label="Headers"
            rows={3}
            value={headers}
            hint="Name: value per line (e.g. Authorization: Bearer …); stored encrypted"
            error={err('headers')}
            onChange={(e) => setHeaders(e.target.value)}
          />
        </>
      )}
      <Checkbox label="Enabled" checked={enabled} onChange={setEnabled} />
      <ErrorBanner error={save.error} fields={['name', 'transport', 'url', 'command', 'args', 'env', 'headers']} />
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Add server
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

function ToolTester({ tools }: { tools: McpTool[] }) {
  const [name, setName] = useState(tools[0]?.qualifiedName ?? '');
  const [args, setArgs] = useState<Record<string, unknown>>({});
  const tool = tools.find((t) => t.qualifiedName === name);
  const run = useMutation({
    mutationFn: () =>
      api.post<{ content: unknown; isError: boolean; truncated: boolean }>(
        `/api/admin/mcp/servers/${tool!.serverId}/tools/${encodeURIComponent(tool!.name)}/test`,
        { args },
      ),
  });
  return (
    <div className="card stack">
      <Select label="Tool" value={name} onChange={(e) => (setName(e.target.value), run.reset())}>
        {tools.map((t) => (
          <option key={t.qualifiedName} value={t.qualifiedName}>
            {t.serverName} · {t.name}
          </option>
        ))}
      </Select>
      {tool ? <p className="muted">{tool.description}</p> : null}
      {tool ? (
        <details>
          <summary>Input schema</summary>
          <pre>{JSON.stringify(tool.inputSchema, null, 2)}</pre>
        </details>
      ) : null}
      <JsonField label="Arguments (JSON)" value={args} onChange={(v) => setArgs((v as Record<string, unknown>) ?? {})} />
      <ErrorBanner error={run.error} />
      <div>
        <Button variant="primary" busy={run.isPending} disabled={!tool} onClick={() => run.mutate()}>
          Call tool
        </Button>
      </div>
      {run.data ? (
        <div>
          <Badge tone={run.data.isError ? 'bad' : 'good'}>{run.data.isError ? 'error' : 'ok'}</Badge>
          {run.data.truncated ? <span className="muted"> (truncated)</span> : null}
          <pre>{JSON.stringify(run.data.content, null, 2)}</pre>
        </div>
      ) : null}
    </div>
  );
}
