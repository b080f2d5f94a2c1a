import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '../api/client.ts';
import type { Approval } from '../api/types.ts';

/** Filters the server applies to `GET /api/approvals` (status defaults to pending). */
export interface ApprovalQuery {
  status?: 'pending' | 'approved' | 'denied' | 'expired' | 'all';
  risk?: string;
  via?: string;
  tool?: string;
}

/** The org's approvals (pending by default), a page at a time (`GET /api/approvals`). */
export function usePendingApprovals(offset: number, limit: number, enabled = true, query: ApprovalQuery = {}) {
  return useQuery({
    queryKey: ['approvals', query.status ?? 'pending', query, offset, limit],
    queryFn: () =>
      api.get<Page<Approval>>('/api/approvals', {
        offset,
        limit,
        status: query.status,
        risk: query.risk || undefined,
        via: query.via || undefined,
        tool: query.tool || undefined,
      }),
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
