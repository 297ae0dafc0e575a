"use client";

import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { CheckKeysInput, CheckKeysResult } from "@/components/query/wizard-api-types";

/** Parses pasted private keys (and their passphrases) on the server; never cached (the input is secret). */
export function useCheckKeys() {
  return useMutation({
    mutationFn: (input: CheckKeysInput) => apiFetch<CheckKeysResult>("/api/v1/keys/check", { method: "POST", body: JSON.stringify(input) }),
    gcTime: 0,
  });
}
