import { useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { KIND_LABEL, SEARCH_KINDS, documentType, searchApi, toBase64, type SearchKind } from '../api/search.ts';
import { Badge, Button, Empty, ErrorBanner, Loading, PageHeader, Pager, formatDate } from '../components/ui.tsx';
import { ConfirmButton } from '../components/admin/dialog.tsx';
import '../components/advisor/advisor.css';
import '../components/search/search.css';

const DOC_LIMIT = 20;

/** /search and /search/documents/:id: one box over conversations, documents, workflows and findings; documents. */
export default function SearchPage() {
  const { id } = useParams();
  return id ? <DocumentPage id={id} /> : <SearchHome />;
}

function unavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 503);
}

function SearchHome() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kinds = (params.get('kinds') ?? '').split(',').filter((k): k is SearchKind => (SEARCH_KINDS as readonly string[]).includes(k));
  const [typed, setTyped] = useState(q);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch))
      if (v) next.set(k, v);
      else next.delete(k);
    setParams(next, { replace: true });
  };
  const results = useQuery({
    queryKey: ['search', q, kinds],
    queryFn: () => searchApi.search(q, kinds),
    enabled: !!q,
    staleTime: 30_000,
  });
  const toggle = (k: SearchKind) => set({ kinds: (kinds.includes(k) ? kinds.filter((x) => x !== k) : [...kinds, k]).join(',') });

  return (
    <>
      <PageHeader title="Search">Find conversations, documents, workflows and findings by meaning, not just words.</PageHeader>
      <form
        className="search-box"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: typed.trim() });
        }}
      >
        <input
          type="search"
          aria-label="Search everything"
          placeholder="e.g. why did the backup fail last week"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <Button type="submit" variant="primary">
          Search
        </Button>
      </form>
      <fieldset className="chips">
        <legend>Look in</legend>
        {SEARCH_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            className={`chip${kinds.includes(k) ? ' on' : ''}`}
            aria-pressed={kinds.includes(k)}
            onClick={() => toggle(k)}
          >
            {KIND_LABEL[k]}
          </button>
        ))}
        {kinds.length ? (
          <button type="button" className="chip" onClick={() => set({ kinds: '' })}>
            Everything
          </button>
        ) : null}
      </fieldset>
      {results.isError && unavailable(results.error) ? (
        <div className="banner banner-info">Search is not available on this server yet.</div>
      ) : (
        <ErrorBanner error={results.error} />
      )}
      {!q ? null : results.isLoading ? (
        <Loading label="Searching…" />
      ) : results.data && !results.data.results.length ? (
        <Empty title="Nothing found">Try other words{kinds.length ? ' or look everywhere' : ''}.</Empty>
      ) : (
        <ol className="search-results" aria-label="Results">
          {results.data?.results.map((r) => (
            <li key={r.id} className="card">
              <div className="row">
                <Badge tone="info">{KIND_LABEL[r.kind] ?? r.kind}</Badge>
                <Link to={r.link}>
                  <strong>{r.title || 'Untitled'}</strong>
                </Link>
                <span className="muted score" title="Similarity (1 = identical)">
                  {Math.round(r.score * 100)}% match
                </span>
              </div>
              <p className="snippet">{r.snippet}</p>
            </li>
          ))}
        </ol>
      )}
      <Documents />
    </>
  );
}

function Documents() {
  const qc = useQueryClient();
  const [offset, setOffset] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const docs = useQuery({
    queryKey: ['documents', offset],
    queryFn: () => searchApi.documents(DOC_LIMIT, offset),
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 2000 : false),
    retry: false,
  });
  const upload = useMutation({
    mutationFn: async (files: File[]) => {
      for (const file of files) {
        const type = documentType(file);
        if (!type) throw new Error(`${file.name}: only text, Markdown and PDF files can be indexed`);
        const text = type !== 'application/pdf';
        await searchApi.upload({
          name: file.name,
          contentType: type,
          encoding: text ? 'text' : 'base64',
          content: text ? await file.text() : await toBase64(file),
        });
      }
    },
    onSettled: () => {
      if (input.current) input.current.value = '';
      void qc.invalidateQueries({ queryKey: ['documents'] });
    },
  });
  if (docs.isError && unavailable(docs.error)) return null;
  return (
    <section className="search-docs">
      <div className="search-docs-head row" style={{ justifyContent: 'space-between' }}>
        <h2>Documents</h2>
        <div className="row">
          <label className="btn btn-secondary" htmlFor="doc-upload">
            {upload.isPending ? 'Uploading…' : 'Upload documents'}
          </label>
          <input
            id="doc-upload"
            ref={input}
            className="sr-only"
            type="file"
            multiple
            accept=".txt,.md,.markdown,.pdf,text/plain,text/markdown,application/pdf"
            onChange={(e) => {
              setProblem(null);
              const files = [...(e.target.files ?? [])];
              if (files.length) upload.mutate(files);
            }}
          />
        </div>
      </div>
      <p className="muted">Text, Markdown and PDF files are split into passages and indexed for search.</p>
      {problem ? <div className="banner banner-error">{problem}</div> : null}
      <ErrorBanner error={upload.error ?? (docs.isError ? docs.error : null)} />
      {docs.isLoading ? (
        <Loading />
      ) : !docs.data?.items.length ? (
        <Empty title="No documents yet">Upload runbooks, architecture notes or post-mortems to search them here and in Charlie.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Documents">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Size</th>
                <th>Status</th>
                <th>Uploaded</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {docs.data.items.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/search/documents/${d.id}`}>{d.name}</Link>
                  </td>
                  <td>{d.contentType}</td>
                  <td>{formatBytes(d.sizeBytes)}</td>
                  <td>
                    <Badge tone={d.status === 'indexed' ? 'good' : d.status === 'failed' ? 'bad' : 'info'}>{d.status}</Badge>
                    {d.status === 'indexed' ? <span className="muted"> {d.chunks} passages</span> : null}
                    {d.error ? <div className="field-error">{d.error}</div> : null}
                  </td>
                  <td>{formatDate(d.createdAt)}</td>
                  <td>
                    <ConfirmButton
                      small
                      label="Delete"
                      title={`Delete ${d.name}?`}
                      message="The document and its passages are removed from search."
                      onConfirm={async () => {
                        await searchApi.remove(d.id);
                        await qc.invalidateQueries({ queryKey: ['documents'] });
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {docs.data ? <Pager offset={offset} limit={DOC_LIMIT} total={docs.data.total} onChange={setOffset} /> : null}
    </section>
  );
}

function DocumentPage({ id }: { id: string }) {
  const doc = useQuery({ queryKey: ['document', id], queryFn: () => searchApi.document(id) });
  return (
    <>
      <p>
        <Link to="/search">← Search</Link>
      </p>
      {doc.isLoading ? (
        <Loading />
      ) : doc.isError || !doc.data ? (
        <ErrorBanner error={doc.error} />
      ) : (
        <>
          <PageHeader title={doc.data.name}>
            {doc.data.contentType} · {formatBytes(doc.data.sizeBytes)} · {doc.data.status}
            {doc.data.indexedAt ? ` ${formatDate(doc.data.indexedAt)}` : ''} · {doc.data.chunks} passages
          </PageHeader>
          {doc.data.error ? <div className="banner banner-error">{doc.data.error}</div> : null}
          <pre className="doc-text">{doc.data.text}</pre>
          {doc.data.textTruncated ? <p className="muted">Only the first 100,000 characters are shown.</p> : null}
        </>
      )}
    </>
  );
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
