// The query-key factory: every cached query's key is built here, so invalidation
// after a change hits exactly the right queries.
export const queryKeys = {
  me: () => ["me"] as const,
  apiTokens: () => ["api-tokens"] as const,
};
