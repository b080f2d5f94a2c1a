import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  addEdge,
  useEdgesState,
  useNodesState,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { ApiError } from '../../api/client.ts';
import { can, useMe } from '../../api/session.ts';
import { workflowsApi, statusTone, type DefinitionDetail, type NodeType, type ToolSummary } from '../../api/workflows.ts';
import { Badge, Button, ErrorBanner, Loading, TextInput, fieldError } from '../../components/ui.tsx';
import { useTheme } from '../../components/theme.tsx';
import {
  CONTROL_NODES,
  fromCanvas,
  nextNodeId,
  parseIssues,
  toCanvas,
  toCanvasEdge,
  type IssueMap,
  type StepData,
  type StepNode,
} from '../../components/workflows/graph.ts';
import { DRAG_MIME, Palette, type PaletteItem } from '../../components/workflows/palette.tsx';
import { Properties } from '../../components/workflows/properties.tsx';
import { StepNodeView } from '../../components/workflows/step-node.tsx';
import { RunDialog } from '../../components/workflows/run-dialog.tsx';
import './designer.css';

const nodeTypes = { step: StepNodeView };
const NODE_ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** /workflows/new and /workflows/:id: the visual designer. */
export default function DesignerPage() {
  const { id } = useParams();
  // A new workflow's first save moves the URL to its id without remounting the designer.
  const keep = (useLocation().state as { keep?: string } | null)?.keep;
  const def = useQuery({ queryKey: ['workflow', id], queryFn: () => workflowsApi.get(id!), enabled: !!id, staleTime: Infinity });
  if (id && def.isLoading) return <Loading label="Loading the workflow…" />;
  if (id && def.isError) return <ErrorBanner error={def.error} />;
  return (
    <ReactFlowProvider>
      <Designer key={keep ?? id ?? 'new'} initial={def.data ?? null} />
    </ReactFlowProvider>
  );
}

function Designer({ initial }: { initial: DefinitionDetail | null }) {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const me = useMe();
  const { theme } = useTheme();
  const flow = useReactFlow<StepNode, Edge>();
  const canWrite = can(me.data, 'workflows:write');
  const canRun = can(me.data, 'workflows:execute');

  const tools = useQuery({ queryKey: ['tools'], queryFn: () => workflowsApi.tools(), staleTime: 300_000 });
  const models = useQuery({ queryKey: ['models'], queryFn: () => workflowsApi.models(), staleTime: 300_000 });
  const toolList: ToolSummary[] = useMemo(() => tools.data?.items ?? [], [tools.data]);
  const riskOf = useCallback((name: string) => toolList.find((t) => t.name === name)?.risk, [toolList]);

  const start = useMemo(() => {
    if (initial) return toCanvas(initial.nodes, initial.edges, () => undefined);
    return {
      nodes: [{ id: 'start', type: 'step' as const, position: { x: 120, y: 40 }, data: { type: 'input' as NodeType, config: {} } }],
      edges: [],
    };
  }, [initial]);
  const [nodes, setNodes, onNodesChangeBase] = useNodesState<StepNode>(start.nodes);
  const [edges, setEdges, onEdgesChangeBase] = useEdgesState<Edge>(start.edges);
  const [name, setName] = useState(initial?.name ?? 'Untitled workflow');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [inputSchema, setInputSchema] = useState<Record<string, unknown> | null>(initial?.inputSchema ?? null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [issues, setIssues] = useState<IssueMap>(new Map());
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState<DefinitionDetail | null>(initial);
  const [notice, setNotice] = useState<string | null>(null);
  const [runOpen, setRunOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);

  // Tool risk colours arrive with the catalogue, after the graph may have loaded.
  useEffect(() => {
    if (!toolList.length) return;
    setNodes((ns) =>
      ns.map((n) => {
        const risk = n.data.type === 'tool' ? riskOf(String(n.data.config.tool ?? '')) : undefined;
        return risk && risk !== n.data.risk ? { ...n, data: { ...n.data, risk } } : n;
      }),
    );
  }, [toolList, riskOf, setNodes]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const touch = () => {
    setDirty(true);
    setNotice(null);
  };
  const onNodesChange = (changes: NodeChange<StepNode>[]) => {
    onNodesChangeBase(changes);
    if (changes.some((c) => c.type !== 'select' && c.type !== 'dimensions')) touch();
  };
  const onEdgesChange = (changes: EdgeChange<Edge>[]) => {
    onEdgesChangeBase(changes);
    if (changes.some((c) => c.type !== 'select')) touch();
  };

  const shown = useMemo(
    () =>
      nodes.map((n) =>
        issues.has(n.id)
          ? { ...n, data: { ...n.data, errors: issues.get(n.id)! } }
          : n.data.errors
            ? { ...n, data: { ...n.data, errors: [] } }
            : n,
      ),
    [nodes, issues],
  );
  const selected = shown.find((n) => n.id === selectedId) ?? null;
  const hasInput = nodes.some((n) => n.data.type === 'input');

  const select = (nodeId: string) => {
    setSelectedId(nodeId);
    setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === nodeId })));
  };

  const connect = (source: string, target: string, branch?: 'true' | 'false') => {
    setEdges((es) => {
      if (es.some((e) => e.source === source && e.target === target)) return es;
      return [...es, toCanvasEdge({ source, target, ...(branch ? { branch } : {}) })];
    });
    touch();
  };

  const addStep = (item: PaletteItem, at?: { x: number; y: number }) => {
    const taken = new Set(nodes.map((n) => n.id));
    const type: NodeType = item.kind === 'control' ? item.type : 'tool';
    const id = item.kind === 'tool' ? nextNodeId('tool', taken, item.tool.name) : nextNodeId(type, taken);
    const config = item.kind === 'tool' ? { tool: item.tool.name, args: {} } : CONTROL_NODES.find((c) => c.type === type)!.config();
    const from = !at && selected && selected.data.type !== 'output' ? selected : null;
    const lowest = nodes.reduce((m, n) => Math.max(m, n.position.y), 0);
    const position = at ?? (from ? { x: from.position.x, y: from.position.y + 140 } : { x: 120, y: nodes.length ? lowest + 140 : 40 });
    const node: StepNode = {
      id,
      type: 'step',
      position,
      selected: true,
      data: { type, config, ...(item.kind === 'tool' ? { risk: item.tool.risk } : {}) },
    };
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), node]);
    if (from && type !== 'input') connect(from.id, id, from.data.type === 'condition' ? 'true' : undefined);
    setSelectedId(id);
    touch();
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const raw = e.dataTransfer.getData(DRAG_MIME);
    if (!raw) return;
    const parsed = JSON.parse(raw) as { kind: 'control'; type: NodeType } | { kind: 'tool'; tool: string };
    const position = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    if (parsed.kind === 'control') addStep(parsed, position);
    else {
      const tool = toolList.find((t) => t.name === parsed.tool);
      if (tool) addStep({ kind: 'tool', tool }, position);
    }
  };

  const onConnect = (c: Connection) => {
    const branch = c.sourceHandle === 'true' || c.sourceHandle === 'false' ? c.sourceHandle : undefined;
    setEdges((es) => addEdge({ ...c, id: `${c.source}->${c.target}`, ...(branch ? { label: branch === 'true' ? 'yes' : 'no' } : {}) }, es));
    touch();
  };
  const isValidConnection = (c: Connection | Edge) =>
    c.source !== c.target &&
    nodes.find((n) => n.id === c.target)?.data.type !== 'input' &&
    !edges.some((e) => e.source === c.source && e.target === c.target);

  const patchSelected = (patch: Partial<StepData>) => {
    if (!selectedId) return;
    setNodes((ns) => ns.map((n) => (n.id === selectedId ? { ...n, data: { ...n.data, ...patch } } : n)));
    touch();
  };
  const renameSelected = (next: string): string | null => {
    if (!selectedId) return null;
    if (!NODE_ID.test(next)) return 'letters, digits, _ or -, starting with a letter (max 64)';
    if (nodes.some((n) => n.id === next)) return `a step with id ${next} exists already`;
    const old = selectedId;
    setNodes((ns) => ns.map((n) => (n.id === old ? { ...n, id: next } : n)));
    setEdges((es) =>
      es.map((e) => {
        const source = e.source === old ? next : e.source;
        const target = e.target === old ? next : e.target;
        return { ...e, id: `${source}->${target}`, source, target };
      }),
    );
    setIssues((m) => {
      if (!m.has(old)) return m;
      const n = new Map(m);
      n.set(next, n.get(old)!);
      n.delete(old);
      return n;
    });
    setSelectedId(next);
    touch();
    return null;
  };
  const deleteSelected = () => {
    if (!selectedId) return;
    setNodes((ns) => ns.filter((n) => n.id !== selectedId));
    setEdges((es) => es.filter((e) => e.source !== selectedId && e.target !== selectedId));
    setSelectedId(null);
    touch();
  };

  const body = () => ({ name, description, inputSchema, ...fromCanvas(nodes, edges) });
  const save = useMutation({
    mutationFn: async (): Promise<DefinitionDetail> => (saved ? workflowsApi.update(saved.id, body()) : workflowsApi.create(body())),
    onMutate: () => setIssues(new Map()),
    onSuccess: (d) => {
      setSaved(d);
      setDirty(false);
      setNotice(`Saved version ${d.currentVersion}.`);
      qc.setQueryData(['workflow', d.id], d);
      void qc.invalidateQueries({ queryKey: ['workflows'] });
      if (!initial) void navigate(`/workflows/${d.id}`, { replace: true, state: { keep: 'new' } });
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 400 && err.field !== 'name')
        setIssues(
          parseIssues(
            err.message,
            nodes.map((n) => n.id),
          ),
        );
    },
  });
  const ensureSaved = async (): Promise<DefinitionDetail> => (dirty || !saved ? save.mutateAsync() : saved);
  const publish = useMutation({
    mutationFn: async () => workflowsApi.publish((await ensureSaved()).id),
    onSuccess: (d) => {
      setSaved(d);
      setNotice('Published.');
      qc.setQueryData(['workflow', d.id], d);
      void qc.invalidateQueries({ queryKey: ['workflows'] });
    },
  });
  const run = useMutation({
    mutationFn: async (input: Record<string, unknown>) => workflowsApi.run((await ensureSaved()).id, input),
    onSuccess: (r) => void navigate(`/workflows/runs/${r.runId}`),
  });
  const needsInput = !!inputSchema && Object.keys((inputSchema.properties as object) ?? {}).length > 0;
  const startRun = () => (needsInput ? setRunOpen(true) : run.mutate({}));

  const unplaced = issues.get('') ?? [];
  const problemCount = [...issues.values()].reduce((n, l) => n + l.length, 0);
  const onSelectionChange = useCallback(({ nodes: sel }: OnSelectionChangeParams) => {
    if (sel.length === 1) setSelectedId(sel[0]!.id);
    else if (sel.length === 0) setSelectedId(null);
  }, []);

  return (
    <div className="wf-designer">
      <header className="wf-toolbar">
        <div className="wf-title">
          <Link to="/workflows" className="muted">
            ← Workflows
          </Link>
          <TextInput
            label="Workflow name"
            value={name}
            error={fieldError(save.error, 'name')}
            onChange={(e) => (setName(e.target.value), touch())}
          />
          <TextInput
            label="Description"
            value={description}
            placeholder="What it does"
            onChange={(e) => (setDescription(e.target.value), touch())}
          />
        </div>
        <div className="row wf-actions">
          {saved ? (
            <>
              <Badge tone={statusTone(saved.status)}>{saved.status}</Badge>
              <span className="muted">v{saved.currentVersion}</span>
            </>
          ) : (
            <Badge>new</Badge>
          )}
          {dirty ? <span className="muted">Unsaved changes</span> : null}
          {canWrite ? (
            <>
              <Button variant="primary" busy={save.isPending} onClick={() => save.mutate()} disabled={!dirty && !!saved}>
                Save
              </Button>
              <Button busy={publish.isPending} onClick={() => publish.mutate()} disabled={saved?.status === 'published' && !dirty}>
                Publish
              </Button>
            </>
          ) : null}
          {canRun ? (
            <Button busy={run.isPending} onClick={startRun}>
              ▶ Run
            </Button>
          ) : null}
          {saved ? <Link to={`/workflows?runsOf=${saved.id}`}>Runs</Link> : null}
        </div>
      </header>
      <div aria-live="polite">
        {notice ? <div className="banner banner-success">{notice}</div> : null}
        {problemCount ? (
          <div className="banner banner-error" role="alert">
            The workflow has {problemCount} problem{problemCount === 1 ? '' : 's'}; the steps at fault are outlined in red.
            {unplaced.map((m, i) => (
              <div key={i}>{m}</div>
            ))}
          </div>
        ) : (
          <ErrorBanner error={save.error ?? publish.error ?? run.error} fields={['name']} />
        )}
      </div>
      <div className="wf-body">
        <Palette tools={toolList} loading={tools.isLoading} onAdd={(item) => addStep(item)} hasInput={hasInput} />
        <div
          className="wf-canvas"
          ref={wrapper}
          onDragOver={(e) => (e.preventDefault(), (e.dataTransfer.dropEffect = 'move'))}
          onDrop={onDrop}
        >
          <ReactFlow<StepNode, Edge>
            nodes={shown}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onSelectionChange={onSelectionChange}
            onNodeClick={(_, n) => select(n.id)}
            onPaneClick={() => setSelectedId(null)}
            deleteKeyCode={['Backspace', 'Delete']}
            colorMode={theme}
            fitView
            fitViewOptions={{ maxZoom: 1, padding: 0.3 }}
            defaultEdgeOptions={{ animated: false }}
            proOptions={{ hideAttribution: true }}
            aria-label="Workflow canvas"
          >
            <Background />
            <Controls />
            <MiniMap pannable zoomable />
          </ReactFlow>
        </div>
        {selected ? (
          <Properties
            node={selected}
            nodes={nodes}
            edges={edges}
            tools={toolList}
            models={models.data?.models ?? []}
            inputSchema={inputSchema}
            onInputSchema={(s) => (setInputSchema(s), touch())}
            onChange={patchSelected}
            onRename={renameSelected}
            onDelete={deleteSelected}
            onConnect={(t, b) => connect(selected.id, t, b)}
            onDisconnect={(edgeId) => (setEdges((es) => es.filter((e) => e.id !== edgeId)), touch())}
          />
        ) : (
          <aside className="wf-props wf-props-empty" aria-label="Step properties">
            <h2>Properties</h2>
            <p className="muted">
              Select a step to edit it. Click a palette entry to add it after the selected step (connected), or drag it onto the canvas;
              drag from a step’s bottom handle to another step’s top handle to connect them.
            </p>
            <p className="muted">
              Keyboard: Tab to a step and press Enter to select it, arrows move it, Delete removes it; “Connect to” in its properties links
              it to another step.
            </p>
          </aside>
        )}
      </div>
      {runOpen ? (
        <RunDialog
          schema={inputSchema ?? {}}
          busy={run.isPending}
          error={run.error}
          onCancel={() => setRunOpen(false)}
          onRun={(input) => run.mutate(input)}
        />
      ) : null}
    </div>
  );
}
