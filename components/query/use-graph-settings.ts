"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";

// Kept here rather than in keys.ts so this feature stays self-contained.
export const graphSettingsKey = () => ["settings", "graph"] as const;

/** How items become messages: "json" (Graph v1.0, default) or "importMime" (Graph beta). */
export type GraphImportMethod = "json" | "importMime";

export interface GraphSettingsView {
  source: "settings" | "env" | "none";
  tenantId: string | null;
  clientId: string | null;
  authorityHost: string | null;
  graphBaseUrl: string | null;
  importMethod: GraphImportMethod;
  hasClientSecret: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface GraphSettingsForm {
  tenantId: string;
  clientId: string;
  /** Blank keeps the stored secret. */
  clientSecret: string;
  authorityHost: string;
  graphBaseUrl: string;
  importMethod: GraphImportMethod;
}

export interface GraphTestResult {
  ok: boolean;
  stages: { stage: "token" | "users"; ok: boolean; detail: string; fix?: string }[];
}

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
