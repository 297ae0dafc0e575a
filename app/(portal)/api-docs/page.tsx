import { requirePageUser } from "@/app/_server/page-user";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { openApiDocument } from "@/lib/connectors/openapi-document";
import { summarizeOpenApi } from "@/lib/connectors/summarize-openapi";

export const dynamic = "force-dynamic";

const METHOD_STYLE: Record<string, string> = {
  GET: "bg-sky-100 text-sky-800",
  POST: "bg-emerald-100 text-emerald-800",
  PUT: "bg-amber-100 text-amber-800",
  PATCH: "bg-violet-100 text-violet-800",
  DELETE: "bg-rose-100 text-rose-800",
};

export default async function ApiDocsPage() {
  await requirePageUser();
  const { operations, schemas } = summarizeOpenApi(openApiDocument());
  const tags = [...new Set(operations.map((o) => o.tag))];
  return (
    <>
      <PageHeader
        title="REST API"
        description={
          <>
            Authenticate with <code>Authorization: Bearer icc_…</code> (create a token under Settings). The machine-readable document is at{" "}
            <a className="text-sky-700 underline" href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1). Responses never contain a secret.
          </>
        }
      />
      <div className="grid gap-6">
        {tags.map((tag) => (
          <Card key={tag} title={tag}>
            <table className="w-full text-left text-sm" data-testid="api-operations">
              <thead className="text-slate-600">
                <tr>
                  <th className="py-1 pr-3">Method</th>
                  <th className="py-1 pr-3">Path</th>
                  <th className="py-1 pr-3">Summary</th>
                  <th className="py-1 pr-3">Request</th>
                  <th className="py-1">Responses</th>
                </tr>
              </thead>
              <tbody>
                {operations
                  .filter((o) => o.tag === tag)
                  .map((o) => (
                    <tr key={`${o.method} ${o.path}`} className="border-t border-slate-100 align-top">
                      <td className="py-2 pr-3">
                        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold ${METHOD_STYLE[o.method] ?? "bg-slate-100"}`}>{o.method}</span>
                      </td>
                      <td className="py-2 pr-3 font-mono text-xs">
                        {o.path}
                        {o.query.length > 0 && <span className="text-slate-500">?{o.query.join("&")}</span>}
                      </td>
                      <td className="py-2 pr-3">{o.summary}</td>
                      <td className="py-2 pr-3 font-mono text-xs">{o.request ? <a href={`#schema-${o.request}`}>{o.request}</a> : "—"}</td>
                      <td className="py-2 font-mono text-xs">
                        {o.responses.map((r) => (
                          <div key={r.status}>
                            {r.status}{" "}
                            {r.schema ? <a href={`#schema-${r.schema}`} className="text-sky-700">{r.schema}</a> : <span className="text-slate-500">{r.description}</span>}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </Card>
        ))}
        <Card title="Schemas">
          <div className="grid gap-4 md:grid-cols-2">
            {schemas.map((s) => (
              <section key={s.name} id={`schema-${s.name}`}>
                <h3 className="font-mono text-sm font-semibold">{s.name}</h3>
                <ul className="mt-1 font-mono text-xs">
                  {s.fields.map((f) => (
                    <li key={f.name}>
                      {f.name}
                      {f.required ? "" : "?"}: <span className="text-slate-600">{f.type}</span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        </Card>
      </div>
    </>
  );
}
