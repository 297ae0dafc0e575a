import http from "node:http";

export interface HealthState {
  ready: () => Promise<boolean>;
  metrics: () => Promise<string>;
}

/** Liveness (/healthz), readiness (/readyz: Redis and Postgres reachable) and Prometheus text (/metrics). */
export function startHealthServer(port: number, state: HealthState): http.Server {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const reply = (status: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type });
      res.end(body);
    };
    if (path === "/healthz") return reply(200, "ok\n");
    if (path === "/readyz") {
      state.ready().then(
        (ok) => reply(ok ? 200 : 503, ok ? "ready\n" : "not ready\n"),
        () => reply(503, "not ready\n"),
      );
      return;
    }
    if (path === "/metrics") {
      state.metrics().then(
        (text) => reply(200, text, "text/plain; version=0.0.4; charset=utf-8"),
        () => reply(500, "metrics unavailable\n"),
      );
      return;
    }
    reply(404, "not found\n");
  });
  // Loopback only by default: metrics are for a local scraper or sidecar.
  server.listen(port, "127.0.0.1");
  return server;
}
