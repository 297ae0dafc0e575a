// Node flags of the process an import runs in (the worker's sandboxed processor, and the
// ingest benchmark, so it measures what production runs). The data is streamed; without a
// bounded heap V8 still grows it lazily, so RSS would depend on GC timing, not on need.
export const PROCESSOR_NODE_FLAGS = ["--max-old-space-size=256", "--max-semi-space-size=4"] as const;
