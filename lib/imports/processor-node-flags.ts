// Node flags of the process an import runs in (the worker's sandboxed processor, and the
// ingest benchmark, so it measures what production runs). The data is streamed; without a
// bounded heap V8 still grows it lazily, so RSS would depend on GC timing, not on need.
// A bounded old space alone makes V8 start with a tiny old-generation limit that it grows
// only slowly, so the stream of decrypted buffers triggered a full GC every ~35 ms (a
// third of the run); a 64 MB starting limit removes that (measured in docs/benchmarks.md).
export const PROCESSOR_NODE_FLAGS = ["--max-old-space-size=256", "--initial-old-space-size=64", "--max-semi-space-size=4"] as const;
