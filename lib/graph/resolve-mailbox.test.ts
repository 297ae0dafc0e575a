import { describe, expect, it } from "vitest";
import type { GraphScheduler, InnerRequest } from "@/lib/graph/batch-scheduler";
import { smtpLookupUrl } from "@/lib/graph/find-user-by-smtp";
import { resolveGraphLimits } from "@/lib/graph/graph-config";
import type { GraphReply } from "@/lib/graph/graph-transport";
import { createMailboxLimiter } from "@/lib/graph/mailbox-limiter";
import { resolveMailbox } from "@/lib/graph/resolve-mailbox";
import type { GraphContext } from "@/lib/graph/send-with-retry";

type Sent = { key: string; request: InnerRequest };

const reply = (status: number, body: unknown): GraphReply => ({ kind: "response", status, headers: {}, body });
const graphError = (status: number, code: string): GraphReply => reply(status, { error: { code, message: code } });
const USER_ID = "6b1f0c2e-0d1c-4f5e-9a1b-7c2d3e4f5a6b";

/** A scheduler that answers from a script: the user lookups by URL, the ICE Chat folder always found. */
function scriptedContext(answer: (request: InnerRequest) => GraphReply | undefined): { ctx: GraphContext; sent: Sent[]; links: [string, string][] } {
  const sent: Sent[] = [];
  const links: [string, string][] = [];
  const scheduler: GraphScheduler = {
    async send(key, request) {
      sent.push({ key, request });
      if (request.url.includes("/mailFolders")) return reply(200, { value: [{ id: "folder-1", displayName: "ICE Chat" }] });
      return answer(request) ?? graphError(500, "Unexpected");
    },
    sendDirect: () => Promise.reject(new Error("not used")),
    stats: () => ({ batches: 0, innerRequests: 0, directRequests: 0, largestBatch: 0 }),
  };
  const limiter = createMailboxLimiter({ maxConcurrent: 4, budget: 100, windowMs: 60_000 });
  const link = limiter.link.bind(limiter);
  limiter.link = (alias, key) => {
    links.push([alias, key]);
    link(alias, key);
  };
  const limits = resolveGraphLimits({ maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 2 });
  return { ctx: { importMethod: "json", scheduler, limiter, limits, random: () => 0.5 }, sent, links };
}

const isUpnLookup = (request: InnerRequest) => request.url.startsWith("/users/") && !request.url.includes("/mailFolders");
const isSmtpLookup = (request: InnerRequest) => request.url.startsWith("/users?");

describe("smtpLookupUrl", () => {
  it("filters on mail and on the smtp: proxy address, doubling a quote inside the OData literal", () => {
    const url = smtpLookupUrl("o'brien@acme.example");
    expect(url.startsWith("/users?$filter=")).toBe(true);
    const query = new URLSearchParams(url.slice("/users?".length));
    expect(query.get("$filter")).toBe("mail eq 'o''brien@acme.example' or proxyAddresses/any(p:p eq 'smtp:o''brien@acme.example')");
    expect(query.get("$select")).toBe("id,mail,userPrincipalName");
    // No advanced query parameters: both filters work by default on users.
    expect(query.has("$count")).toBe(false);
  });
});

describe("resolveMailbox", () => {
  it("asks by SMTP address only after 404 Request_ResourceNotFound, on the address's limiter key, then links the address to the user id", async () => {
    const { ctx, sent, links } = scriptedContext((request) =>
      isUpnLookup(request) ? graphError(404, "Request_ResourceNotFound") : reply(200, { value: [{ id: USER_ID, mail: "john.smith@acme.example", userPrincipalName: "jsmith@acme.onmicrosoft.example" }] }),
    );
    const resolution = await resolveMailbox(ctx, "j.smith@acme.example");
    expect(resolution).toEqual({ ok: true, target: { address: "j.smith@acme.example", key: USER_ID, userId: USER_ID, folderId: "folder-1" } });
    expect(sent.map((s) => [s.key, isUpnLookup(s.request) ? "upn" : isSmtpLookup(s.request) ? "smtp" : "folder"])).toEqual([
      ["j.smith@acme.example", "upn"],
      ["j.smith@acme.example", "smtp"],
      [USER_ID, "folder"],
    ]);
    expect(links).toEqual([["j.smith@acme.example", USER_ID]]);
    ctx.limiter.close();
  });

  it("does not fall back on other failures: they stay the refusal they were", async () => {
    const cases: [GraphReply, RegExp][] = [
      [graphError(400, "Request_BadRequest"), /cannot import into x@acme\.example: 400 Request_BadRequest/],
      [graphError(404, "ResourceNotFound"), /cannot import into x@acme\.example: 404 ResourceNotFound/],
    ];
    for (const [answer, reason] of cases) {
      const { ctx, sent } = scriptedContext((request) => (isUpnLookup(request) ? answer : reply(200, { value: [{ id: USER_ID }] })));
      const resolution = await resolveMailbox(ctx, "x@acme.example");
      expect(resolution.ok).toBe(false);
      expect(resolution.ok === false && resolution.reason).toMatch(reason);
      expect(sent.filter((s) => isSmtpLookup(s.request))).toHaveLength(0);
      ctx.limiter.close();
    }
  });

  it("a 403 on the SMTP lookup ends the run like any other access failure (User.Read.All missing)", async () => {
    const { ctx } = scriptedContext((request) => (isUpnLookup(request) ? graphError(404, "Request_ResourceNotFound") : graphError(403, "Authorization_RequestDenied")));
    await expect(resolveMailbox(ctx, "x@acme.example")).rejects.toMatchObject({ code: "destination_failed", message: expect.stringMatching(/User\.Read\.All/) });
    ctx.limiter.close();
  });

  it("retries a throttled SMTP lookup like the user lookup (sendWithRetry)", async () => {
    let smtpCalls = 0;
    const { ctx } = scriptedContext((request) => {
      if (isUpnLookup(request)) return graphError(404, "Request_ResourceNotFound");
      smtpCalls += 1;
      return smtpCalls === 1 ? graphError(503, "ServiceUnavailable") : reply(200, { value: [{ id: USER_ID }] });
    });
    await expect(resolveMailbox(ctx, "x@acme.example")).resolves.toMatchObject({ ok: true, target: { userId: USER_ID } });
    expect(smtpCalls).toBe(2);
    ctx.limiter.close();
  });

  it("refuses an address that matches no user, several users, or a user without an id", async () => {
    const answers: [unknown, RegExp][] = [
      [{ value: [] }, /^No Microsoft 365 user has the address x@acme\.example \(checked as user principal name, primary SMTP address and alias\)\./],
      [{ value: [{ id: "a", userPrincipalName: "desk1@acme.example" }, { id: "b", userPrincipalName: "desk2@acme.example" }] }, /^x@acme\.example is an address of 2 Microsoft 365 users \(desk1@acme\.example, desk2@acme\.example\); the connector does not guess/],
      [{ value: [{ userPrincipalName: "odd@acme.example" }] }, /^Microsoft Graph returned no user id for x@acme\.example\.$/],
    ];
    for (const [body, reason] of answers) {
      const { ctx, sent, links } = scriptedContext((request) => (isUpnLookup(request) ? graphError(404, "Request_ResourceNotFound") : reply(200, body)));
      const resolution = await resolveMailbox(ctx, "x@acme.example");
      expect(resolution.ok === false && resolution.reason).toMatch(reason);
      // Refused before any mailbox request: no folder is looked up or created.
      expect(sent.some((s) => s.request.url.includes("/mailFolders"))).toBe(false);
      expect(links).toEqual([]);
      ctx.limiter.close();
    }
  });
});
