import type { AnyAuthMethod, AuthHandlerMiddleware, AuthenticationType, NextAuthHandler, ParsedKey } from "ssh2";
import type { SftpCredentials } from "./types";

type OurMethod = "publickey" | "password" | "keyboard-interactive";

/** What happened during authentication, to explain a failure precisely. */
export interface AuthTrace {
  tried: OurMethod[];
  /** Methods that were accepted but the server wanted more ("partial success"). */
  partiallyAccepted: OurMethod[];
  /** What the server said it still accepts, from its last failure message. */
  serverMethods: string[] | null;
}

/**
 * Sequences login methods the way a site demands: try the key first (when given),
 * then the password, then keyboard-interactive answered with the password; after a
 * partial success continue with whatever the server still asks for.
 */
export function createAuthHandler(credentials: SftpCredentials, key: ParsedKey | null, trace: AuthTrace): AuthHandlerMiddleware {
  const available: OurMethod[] = [];
  if (key) available.push("publickey");
  if (credentials.password !== undefined) available.push("password", "keyboard-interactive");
  let lastTried: OurMethod | undefined;

  // ssh2 passes null for both on the first call (its typings say otherwise), and
  // takes a returned `false` as "no more methods": it then fails the login.
  const handler = (methodsLeft: AuthenticationType[] | null, partialSuccess: boolean | null, next: NextAuthHandler): false | undefined => {
    if (methodsLeft) trace.serverMethods = [...methodsLeft];
    if (partialSuccess && lastTried) trace.partiallyAccepted.push(lastTried);

    const candidate = available.find(
      (method) => !trace.tried.includes(method) && (methodsLeft === null ? method !== "keyboard-interactive" : methodsLeft.includes(method)),
    );
    if (!candidate) return false;
    trace.tried.push(candidate);
    lastTried = candidate;
    next(buildMethod(candidate, credentials, key));
    return undefined;
  };
  return handler;
}

function buildMethod(method: OurMethod, credentials: SftpCredentials, key: ParsedKey | null): AnyAuthMethod {
  const username = credentials.username;
  const password = credentials.password ?? "";
  switch (method) {
    case "publickey":
      if (!key) throw new Error("publickey chosen without a key");
      return { type: "publickey", username, key };
    case "password":
      return { type: "password", username, password };
    case "keyboard-interactive":
      return {
        type: "keyboard-interactive",
        username,
        // Sites that ask for the password through keyboard-interactive send one
        // hidden prompt; an info-only round has none and must be answered empty.
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
      };
  }
}
