"use client";

import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";

/** Records (audit "terms.accepted") that the signed-in admin accepted the ICE Chat connector's terms. */
export function useAcceptTerms() {
  return useMutation({
    mutationFn: () => apiFetch<void>("/api/v1/terms/accept", { method: "POST", body: JSON.stringify({ connectorType: "ice-chat" }) }),
  });
}
