export { startGraphEmulator } from "./start-graph-emulator";
export type { GraphEmulator, GraphEmulatorOptions } from "./start-graph-emulator";
export type { EmulatorFaults, EmulatorLimits, EmulatorStats, EmulatorUserConfig } from "./types";
export type { InspectedAttachment, InspectedFolder, InspectedMailbox, InspectedMessage } from "./inspection";
export { DEFAULT_LIMITS } from "./defaults";
export { createTrustingAgent, emulatorCredentialOptions, emulatorMiddlewareChain, TrustingHttpMessageHandler } from "./client-trust";
