import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, isToolUIPart, lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { Button } from '../ui.tsx';
import { MarkdownText } from './markdown.tsx';
import { rowsOf } from './result-view.tsx';
import { ToolCard } from './tool-card.tsx';

const SUGGESTIONS = ['List my instances', 'List my buckets and VCNs', 'What did I spend in the last 30 days?', 'Show security findings'];

/** The text of an error the chat transport raised: the server's `{ message }` when it sent one. */
function errorText(error: Error): string {
  try {
    const body = JSON.parse(error.message) as { message?: string };
    if (body.message) return body.message;
  } catch {
    // not JSON: the message is the text
  }
  return error.message || 'Charlie could not answer. Try again.';
}

/**
 * One conversation with Charlie over `useChat`: the UI message stream from `/api/chat`, sending
 * only the newest message (the server keeps the history), the chosen model, and approval answers
 * sent back automatically once every pending approval has one.
 */
export function Conversation({
  threadId,
  initialMessages,
  model,
  initialPrompt,
  onFirstSend,
}: {
  threadId: string;
  initialMessages: UIMessage[];
  model: string | undefined;
  /** Sent once on mount (from `/chat?prompt=`). */
  initialPrompt?: string | undefined;
  /** Called when the first message of a new conversation is sent. */
  onFirstSend?: (() => void) | undefined;
}) {
  const qc = useQueryClient();
  const modelRef = useRef(model);
  modelRef.current = model;
  const transport = useMemo(
    () =>
      new DefaultChatTransport<UIMessage>({
        api: '/api/chat',
        prepareSendMessagesRequest: ({ id, messages }) => ({
          body: { id, message: messages[messages.length - 1], ...(modelRef.current ? { model: modelRef.current } : {}) },
        }),
      }),
    [],
  );
  const { messages, sendMessage, status, error, stop, addToolApprovalResponse, clearError } = useChat({
    id: threadId,
    messages: initialMessages,
    transport,
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    onFinish: () => {
      void qc.invalidateQueries({ queryKey: ['chat-threads'] });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
    },
  });
  const [input, setInput] = useState('');
  const busy = status === 'submitted' || status === 'streaming';
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const sentFirst = useRef(initialMessages.length > 0);

  const send = useCallback(
    (text: string) => {
      const t = text.trim();
      if (!t) return;
      if (!sentFirst.current) {
        sentFirst.current = true;
        onFirstSend?.();
      }
      clearError();
      void sendMessage({ text: t });
    },
    [sendMessage, onFirstSend, clearError],
  );

  const stopNow = useCallback(() => {
    void stop();
    api.post(`/api/chat/${encodeURIComponent(threadId)}/stop`).catch(() => undefined);
  }, [stop, threadId]);

  // A prompt from the URL is sent once. Deferred a tick so React's StrictMode double mount
  // (whose cleanup stops the chat) does not abort it.
  const prompted = useRef(false);
  useEffect(() => {
    if (!initialPrompt || prompted.current) return;
    const timer = setTimeout(() => {
      prompted.current = true;
      send(initialPrompt);
    }, 0);
    return () => clearTimeout(timer);
  }, [initialPrompt, send]);

  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages, status]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape' && busy) {
        e.preventDefault();
        stopNow();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, stopNow]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (!busy && input.trim()) {
        send(input);
        setInput('');
      }
    }
  };

  const decide = (id: string, approved: boolean, reason: string) =>
    void addToolApprovalResponse({ id, approved, ...(reason.trim() ? { reason: reason.trim() } : {}) });

  const visible = messages.filter((m) => m.role !== 'system');
  const last = visible[visible.length - 1];
  const waiting = status === 'submitted' || (status === 'streaming' && last?.role !== 'assistant');

  return (
    <div className="conversation">
      <div className="messages" ref={logRef} role="log" aria-live="polite" aria-label="Conversation">
        {visible.length === 0 ? (
          <div className="chat-empty">
            <h2>Hi, I’m Charlie.</h2>
            <p className="muted">I can inspect and change your Oracle Cloud tenancy. Risky changes wait for your approval.</p>
            <div className="chips">
              {SUGGESTIONS.map((s) => (
                <button key={s} type="button" className="chip" onClick={() => send(s)}>
                  {s}
                </button>
              ))}
            </div>
          </div>
        ) : null}
        {visible.map((m) => (
          <Message key={m.id} message={m} busy={busy} onDecide={decide} />
        ))}
        {waiting ? (
          <div className="msg msg-assistant" aria-label="Charlie is thinking">
            <span className="typing" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
          </div>
        ) : null}
        {error ? (
          <div className="banner banner-error" role="alert">
            {errorText(error)}
          </div>
        ) : null}
      </div>
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) {
            send(input);
            setInput('');
          }
        }}
      >
        <textarea
          ref={inputRef}
          aria-label="Message Charlie"
          placeholder="Ask Charlie… (Enter to send, Shift+Enter for a new line)"
          value={input}
          rows={2}
          maxLength={50_000}
          autoFocus
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {busy ? (
          <Button variant="danger" onClick={stopNow} title="Stop (Esc)">
            Stop
          </Button>
        ) : (
          <Button type="submit" variant="primary" disabled={!input.trim()}>
            Send
          </Button>
        )}
      </form>
    </div>
  );
}

function Message({
  message,
  busy,
  onDecide,
}: {
  message: UIMessage;
  busy: boolean;
  onDecide: (approvalId: string, approved: boolean, reason: string) => void;
}) {
  const meta = message.metadata as { status?: string } | undefined;
  const showsTable = message.parts.some((p) => isToolUIPart(p) && p.state === 'output-available' && rowsOf(p.output) !== null);
  return (
    <div className={`msg msg-${message.role}`}>
      <span className="sr-only">{message.role === 'user' ? 'You said:' : 'Charlie said:'}</span>
      {message.parts.map((part, i) => {
        if (part.type === 'text')
          return message.role === 'user' ? (
            <p key={i} className="user-text">
              {part.text}
            </p>
          ) : (
            <MarkdownText key={i} text={part.text} omitTables={showsTable} />
          );
        if (part.type === 'reasoning')
          return part.text ? (
            <details key={i} className="reasoning">
              <summary>Reasoning</summary>
              <p>{part.text}</p>
            </details>
          ) : null;
        if (isToolUIPart(part)) return <ToolCard key={part.toolCallId} part={part} busy={busy} onDecide={onDecide} />;
        if (part.type === 'source-url')
          return (
            <a key={i} className="chip" href={part.url} target="_blank" rel="noreferrer noopener">
              {part.title ?? part.url}
            </a>
          );
        if (part.type === 'file')
          return (
            <a key={i} className="chip" href={part.url} target="_blank" rel="noreferrer noopener">
              {part.filename ?? 'file'}
            </a>
          );
        return null;
      })}
      {meta?.status === 'aborted' ? <small className="muted">Stopped.</small> : null}
      {meta?.status === 'error' ? (
        <div className="banner banner-error" role="alert">
          This answer ended with an error.
        </div>
      ) : null}
    </div>
  );
}
