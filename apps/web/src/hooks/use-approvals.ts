import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api/client.ts';
import type { Approval } from '../api/types.ts';

/** Pending approvals of the org, a page at a time (`GET /api/approvals`). */
export function usePendingApprovals(offset: number, limit: number, enabled = true) {
  return useQuery({
    queryKey: ['approvals', 'pending', offset, limit],
    queryFn: () => api.get<Page<Approval>>('/api/approvals', { offset, limit }),
    enabled,
    refetchInterval: 15_000,
  });
}

/** Approve or deny one approval with an optional reason; refreshes every approvals list. */
export function useDecideApproval() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, approve, reason }: { id: string; approve: boolean; reason?: string }) =>
      api.post<Approval>(
        `/api/approvals/${encodeURIComponent(id)}/${approve ? 'approve' : 'deny'}`,
        reason?.trim() ? { reason: reason.trim() } : {},
      ),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ['approvals'] });
      void qc.invalidateQueries({ queryKey: ['activity'] });
    },
  });
}
