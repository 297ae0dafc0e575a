"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import { connectorKeys } from "@/components/query/connector-keys";

export function nameAvailablePath(name: string, excludeId: string | undefined): string {
  const params = new URLSearchParams({ name });
  if (excludeId) params.set("excludeId", excludeId);
  return `/api/v1/connectors/name-available?${params.toString()}`;
}

/** Asks whether a connector name is free; pass the debounced name, "" disables the query. */
export function useNameAvailable(name: string, excludeId: string | undefined) {
  const trimmed = name.trim();
  return useQuery({
    queryKey: connectorKeys.nameAvailable(trimmed, excludeId),
    queryFn: () => apiFetch<{ available: boolean }>(nameAvailablePath(trimmed, excludeId)).then((r) => r.available),
    enabled: trimmed.length > 0,
    staleTime: 0,
    retry: false,
  });
}
