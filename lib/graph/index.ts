export { createGraphDestination, type GraphDestination, type GraphDestinationSeam } from "@/lib/graph/graph-destination";
export {
  DEFAULT_GRAPH_IMPORT_METHOD,
  DEFAULT_GRAPH_LIMITS,
  GRAPH_IMPORT_METHODS,
  resolveGraphLimits,
  type GraphCertificate,
  type GraphDestinationConfig,
  type GraphImportMethod,
  type GraphLimits,
} from "@/lib/graph/graph-config";
export { createGraphClient, type GraphClientSeam } from "@/lib/graph/create-graph-client";
export type { SchedulerStats } from "@/lib/graph/batch-scheduler";
