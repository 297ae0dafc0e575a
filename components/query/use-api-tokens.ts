"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { queryKeys } from "@/components/query/keys";

export interface ApiTokenRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export function useApiTokens() {
  return useQuery({
    queryKey: queryKeys.apiTokens(),
    queryFn: () => apiFetch<{ tokens: ApiTokenRow[] }>("/api/v1/tokens").then((r) => r.tokens),
  });
}

export function useCreateApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiFetch<{ token: string; tokenInfo: ApiTokenRow }>("/api/v1/tokens", { method: "POST", body: JSON.stringify({ name }) }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.apiTokens() }),
  });
}

export function useRevokeApiToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/v1/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.apiTokens() }),
  });
}
