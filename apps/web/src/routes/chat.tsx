import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { UIMessage } from 'ai';
import { ApiError } from '../api/client.ts';
import type { ThreadDetail } from '../api/types.ts';
import { Conversation } from '../components/chat/conversation.tsx';
import { ModelPicker } from '../components/chat/model-picker.tsx';
import { ThreadSidebar } from '../components/chat/thread-sidebar.tsx';
import { useModels, useThread } from '../components/chat/use-threads.ts';
import { Button, Empty, ErrorBanner, Loading } from '../components/ui.tsx';
import './chat.css';

/** Stored messages as UI messages (the stored status rides along in the metadata). */
function toUiMessages(detail: ThreadDetail): UIMessage[] {
  return detail.messages
    .filter((m) => m.role !== 'system')
    .map((m) => ({ id: m.id, role: m.role, parts: m.parts as UIMessage['parts'], metadata: { ...m.metadata, status: m.status } }));
}

/**
 * Charlie: the conversation list beside the open conversation. `/chat` is a new conversation (its
 * id is made here, so it keeps its place when the URL becomes `/chat/:id` on the first message);
 * `/chat?prompt=…` starts one with that question. Ctrl/Cmd+K starts a new chat.
 */
export default function ChatPage() {
  const { threadId } = useParams();
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const local = useRef(new Set<string>());
  const [draftId, setDraftId] = useState(() => crypto.randomUUID());
  const [sidebarOpen, setSidebarOpen] = useState(false);
  // Back on /chat after a draft became a conversation: start a fresh draft.
  if (!threadId && local.current.has(draftId)) setDraftId(crypto.randomUUID());

  const activeId = threadId ?? draftId;
  const isLocal = !threadId || local.current.has(threadId);
  const thread = useThread(threadId, !isLocal);
  const models = useModels();
  const [model, setModel] = useState<string | undefined>();
  const modelList = models.data?.models ?? [];
  const fallbackModel = thread.data?.model ?? modelList.find((m) => m.default)?.id ?? modelList[0]?.id;
  const chosenModel = model && modelList.some((m) => m.id === model) ? model : fallbackModel;
  const prompt = !threadId ? (search.get('prompt') ?? undefined) : undefined;

  const newChat = useCallback(() => {
    setDraftId(crypto.randomUUID());
    setSidebarOpen(false);
    void navigate('/chat');
  }, [navigate]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        newChat();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newChat]);

  useEffect(() => setSidebarOpen(false), [threadId]);

  const onFirstSend = useCallback(() => {
    local.current.add(draftId);
    void navigate(`/chat/${draftId}`, { replace: true });
    setTimeout(() => void qc.invalidateQueries({ queryKey: ['chat-threads'] }), 1500);
  }, [draftId, navigate, qc]);

  const onDeleted = (id: string) => {
    if (id === activeId) newChat();
  };

  let body;
  if (!isLocal && thread.isLoading) body = <Loading label="Opening the conversation…" />;
  else if (!isLocal && thread.error)
    body =
      thread.error instanceof ApiError && thread.error.status === 404 ? (
        <Empty title="Conversation not found">
          It may have been deleted. <Button onClick={newChat}>Start a new chat</Button>
        </Empty>
      ) : (
        <ErrorBanner error={thread.error} />
      );
  else
    body = (
      <Conversation
        key={activeId}
        threadId={activeId}
        initialMessages={!isLocal && thread.data ? toUiMessages(thread.data) : []}
        model={chosenModel}
        initialPrompt={prompt}
        onFirstSend={isLocal ? onFirstSend : undefined}
      />
    );

  return (
    <div className={`chat-page${sidebarOpen ? ' sidebar-open' : ''}`}>
      <ThreadSidebar activeId={activeId} onNew={newChat} onDeleted={onDeleted} />
      <section className="chat-main" aria-label="Charlie">
        <header className="chat-header">
          <button
            type="button"
            className="btn btn-ghost threads-toggle"
            aria-expanded={sidebarOpen}
            onClick={() => setSidebarOpen((o) => !o)}
          >
            ☰ Conversations
          </button>
          <h1>{thread.data?.title || 'Charlie'}</h1>
          <ModelPicker models={modelList} value={chosenModel} onChange={setModel} />
        </header>
        {body}
      </section>
    </div>
  );
}
