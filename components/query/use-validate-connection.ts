"use client";

import { useMutation } from "@tanstack/react-query";
import { apiFetch } from "@/components/query/api-fetch";
import type { ValidateConnectionInput, ValidateConnectionResult } from "@/components/query/wizard-api-types";

/** Tries the SFTP site (and the PGP key) with the values entered; ok=false is data, not an error. */
export function useValidateConnection() {
  return useMutation({
    mutationFn: (input: ValidateConnectionInput) =>
      apiFetch<ValidateConnectionResult>("/api/v1/connectors/validate", { method: "POST", body: JSON.stringify(input) }),
  });
}
