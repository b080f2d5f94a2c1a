import { useState, type FormEvent } from 'react';
import { NavLink } from 'react-router';
import type { ThreadSummary } from '../../api/types.ts';
import { Button, ErrorBanner, Loading, timeAgo } from '../ui.tsx';
import { useDeleteThread, useRenameThread, useThreads } from './use-threads.ts';

/** The conversation list: search, open, rename in place, delete with a confirmation. */
export function ThreadSidebar({
  activeId,
  onNew,
  onDeleted,
}: {
  activeId: string | undefined;
  onNew: () => void;
  onDeleted: (id: string) => void;
}) {
  const [q, setQ] = useState('');
  const threads = useThreads(q);
  const items = threads.data?.items ?? [];
  return (
    <aside className="thread-sidebar" aria-label="Conversations">
      <div className="row thread-tools">
        <Button variant="primary" onClick={onNew} title="New chat (Ctrl+K)">
          + New chat
        </Button>
      </div>
      <input
        type="search"
        aria-label="Search conversations"
        placeholder="Search conversations"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {threads.isLoading ? <Loading /> : null}
      <ErrorBanner error={threads.error} />
      {threads.data && items.length === 0 ? (
        <p className="muted thread-empty">{q ? 'No conversation matches.' : 'No conversations yet.'}</p>
      ) : null}
      <ul className="thread-list">
        {items.map((t) => (
          <ThreadItem key={t.id} thread={t} active={t.id === activeId} onDeleted={onDeleted} />
        ))}
      </ul>
    </aside>
  );
}

function ThreadItem({ thread, active, onDeleted }: { thread: ThreadSummary; active: boolean; onDeleted: (id: string) => void }) {
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm'>('view');
  const [title, setTitle] = useState(thread.title);
  const rename = useRenameThread();
  const del = useDeleteThread();
  const name = thread.title || 'Untitled';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return;
    rename.mutate({ id: thread.id, title: title.trim() }, { onSuccess: () => setMode('view') });
  };

  if (mode === 'rename') {
    return (
      <li className="thread-item editing">
        <form onSubmit={submit} className="stack">
          <input
            aria-label="Conversation title"
            value={title}
            maxLength={200}
            autoFocus
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setMode('view')}
          />
          <ErrorBanner error={rename.error} />
          <div className="row">
            <Button type="submit" variant="primary" busy={rename.isPending}>
              Save
            </Button>
            <Button onClick={() => setMode('view')}>Cancel</Button>
          </div>
        </form>
      </li>
    );
  }
  return (
    <li className={`thread-item${active ? ' active' : ''}`}>
      <NavLink to={`/chat/${thread.id}`} className="thread-link" aria-current={active ? 'page' : undefined}>
        <span className="thread-title">{name}</span>
        <small className="muted">{timeAgo(thread.updatedAt)}</small>
      </NavLink>
      {mode === 'confirm' ? (
        <div className="row thread-confirm">
          <span>Delete?</span>
          <Button
            variant="danger"
            busy={del.isPending}
            onClick={() => del.mutate(thread.id, { onSuccess: () => onDeleted(thread.id) })}
            aria-label={`Confirm delete ${name}`}
          >
            Delete
          </Button>
          <Button onClick={() => setMode('view')}>Keep</Button>
        </div>
      ) : (
        <div className="thread-actions">
          <button
            type="button"
            className="icon-btn"
            aria-label={`Rename ${name}`}
            title="Rename"
            onClick={() => {
              setTitle(thread.title);
              setMode('rename');
            }}
          >
            ✎
          </button>
          <button type="button" className="icon-btn" aria-label={`Delete ${name}`} title="Delete" onClick={() => setMode('confirm')}>
            ×
          </button>
        </div>
      )}
      <ErrorBanner error={del.error} />
    </li>
  );
}
