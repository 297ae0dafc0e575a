// /_emulator/* : the test-control API on the emulator's own port. It needs no Graph token
// (it is not Graph) so a test runner or another process can inspect and steer the emulator.

import type { EmulatorRuntime } from "./graph-router";
import { configureFaults, configureLimits, inspectMailboxes, resetEmulator, snapshotStats } from "./inspection";
import type { EmulatorFaults, EmulatorLimits, EmulatorUserConfig } from "./types";

export interface ControlResponse {
  status: number;
  json?: unknown;
}

function parse(body: Buffer): unknown {
  return body.length === 0 ? undefined : (JSON.parse(body.toString("utf8")) as unknown);
}

export function answerControlRequest(runtime: EmulatorRuntime, method: string, path: string, body: Buffer): ControlResponse {
  const { state } = runtime;
  try {
    const route = `${method.toUpperCase()} ${path.replace(/\/+$/, "")}`;
    switch (route) {
      case "GET /_emulator/health":
        return { status: 200, json: { ok: true } };
      case "GET /_emulator/mailboxes":
        return { status: 200, json: inspectMailboxes(state) };
      case "GET /_emulator/stats":
        return { status: 200, json: snapshotStats(state) };
      case "GET /_emulator/config":
        return { status: 200, json: { limits: state.limits, faults: state.faults, users: state.users } };
      case "POST /_emulator/reset": {
        const input = parse(body) as { users?: EmulatorUserConfig[] } | undefined;
        resetEmulator(runtime, input?.users);
        return { status: 204 };
      }
      case "PUT /_emulator/users":
        resetEmulator(runtime, parse(body) as EmulatorUserConfig[]);
        return { status: 204 };
      case "PATCH /_emulator/limits":
        configureLimits(state, (parse(body) ?? {}) as Partial<EmulatorLimits>);
        return { status: 200, json: state.limits };
      case "PUT /_emulator/faults":
        configureFaults(runtime, (parse(body) ?? {}) as EmulatorFaults);
        return { status: 200, json: state.faults };
      default:
        return { status: 404, json: { error: `No control route ${route}.` } };
    }
  } catch (error) {
    return { status: 400, json: { error: error instanceof Error ? error.message : String(error) } };
  }
}
