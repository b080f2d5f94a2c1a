import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ModelInfo, ThreadDetail, ThreadSummary } from '../../api/types.ts';

/** The signed-in user's conversations, newest first, optionally filtered by a search. */
export function useThreads(q: string) {
  return useQuery({
    queryKey: ['chat-threads', q],
    queryFn: () =>
      api.get<{ items: ThreadSummary[]; total: number }>('/api/chat/threads', { limit: 50, offset: 0, q: q.trim() || undefined }),
    placeholderData: (prev) => prev,
  });
}

/** One conversation with its messages. */
export function useThread(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['chat-thread', id],
    queryFn: () => api.get<ThreadDetail>(`/api/chat/threads/${encodeURIComponent(id!)}`),
    enabled: !!id && enabled,
    staleTime: 0,
    gcTime: 0,
  });
}

export function useRenameThread() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) => api.patch(`/api/chat/threads/${encodeURIComponent(id)}`, { title }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['chat-threads'] }),
  });
}

export function useDeleteThread() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`/api/chat/threads/${encodeURIComponent(id)}`),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['chat-threads'] }),
  });
}

/** The models Charlie can use (`GET /api/models`); the offline model is flagged. */
export function useModels() {
  return useQuery({ queryKey: ['models'], queryFn: () => api.get<{ models: ModelInfo[] }>('/api/models'), staleTime: 60_000 });
}
