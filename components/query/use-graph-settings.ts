"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { GraphSettingsApiView as GraphSettingsView, GraphTestResult } from "@/lib/connectors/api-schemas";
import type { GraphSettingsInput } from "@/lib/settings/graph-settings-input";

export type { GraphSettingsView, GraphTestResult };

// Kept here rather than in keys.ts so this feature stays self-contained.
export const graphSettingsKey = () => ["settings", "graph"] as const;

/** How items become messages: "json" (Graph v1.0, default) or "importMime" (Graph beta). */
export type GraphImportMethod = GraphSettingsView["importMethod"];

/** What the Settings form always sends: every field, blank meaning not given (a blank secret keeps the stored one). */
export type GraphSettingsForm = Required<GraphSettingsInput>;

const PATH = "/api/v1/settings/graph";

export function useGraphSettings() {
  return useQuery({
    queryKey: graphSettingsKey(),
    queryFn: () => apiFetch<{ settings: GraphSettingsView }>(PATH).then((r) => r.settings),
  });
}

export function useSaveGraphSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (form: GraphSettingsForm) => apiFetch<{ settings: GraphSettingsView }>(PATH, { method: "PUT", body: JSON.stringify(form) }).then((r) => r.settings),
    onSuccess: (settings) => client.setQueryData(graphSettingsKey(), settings),
  });
}

export function useRemoveGraphSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ settings: GraphSettingsView }>(PATH, { method: "DELETE" }).then((r) => r.settings),
    onSuccess: (settings) => client.setQueryData(graphSettingsKey(), settings),
  });
}

export function useTestGraphConnection() {
  return useMutation({
    mutationFn: (form: GraphSettingsForm | null) =>
      apiFetch<{ result: GraphTestResult }>(`${PATH}/test`, { method: "POST", body: JSON.stringify(form ?? {}) }).then((r) => r.result),
  });
}
