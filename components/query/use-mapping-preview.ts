"use client";

import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { MappingPreviewResult } from "@/components/query/wizard-api-types";

/** Parses a user-mapping CSV on the server and returns counts, per-line errors and the first rows. */
export function useMappingPreview() {
  return useMutation({
    mutationFn: (csv: string) =>
      apiFetch<MappingPreviewResult>("/api/v1/mapping/preview", { method: "POST", body: csv, headers: { "Content-Type": "text/csv" } }),
  });
}
