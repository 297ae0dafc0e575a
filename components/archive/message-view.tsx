import Link from "next/link";
import type { ReactNode } from "react";
import { formatBytes, formatUtc } from "@/components/archive/format";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import type { ArchivedMessageView } from "@/lib/archive/get-archived-message";

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-600">{label}</dt>
      <dd className="break-all">{children}</dd>
    </>
  );
}

export function MessageHeaders({ message }: { message: ArchivedMessageView }) {
  return (
    <dl className="grid grid-cols-[11rem_1fr] gap-x-4 gap-y-1 text-sm" data-testid="message-headers">
      <Row label="From">{message.from || "—"}</Row>
      <Row label="To">{message.to.join(", ") || "—"}</Row>
      {message.cc.length > 0 && <Row label="Cc">{message.cc.join(", ")}</Row>}
      <Row label="Date">{formatUtc(message.date ?? message.sentAt)}</Row>
      <Row label="Subject">{message.subject || "(no subject)"}</Row>
      <Row label="Message-ID">{message.messageId ?? message.internetMessageId}</Row>
      {message.iceHeaders.map((h, i) => (
        <Row key={`${h.name}-${i}`} label={h.name}>
          {h.value}
        </Row>
      ))}
    </dl>
  );
}

export function MessageBody({ message, view, baseHref }: { message: ArchivedMessageView; view: "text" | "html"; baseHref: string }) {
  const tab = (active: boolean) =>
    `rounded px-3 py-1 text-sm outline-none focus-visible:ring-2 focus-visible:ring-brand ${active ? "bg-sky-100 font-semibold text-brand-dark" : "text-slate-700 hover:bg-slate-100"}`;
  const showHtml = view === "html" && message.htmlDocument !== null;
  return (
    <Card
      title="Message"
      actions={
        message.htmlDocument !== null && (
          <nav aria-label="Body format" className="flex gap-1">
            <Link href={baseHref} className={tab(!showHtml)} aria-current={!showHtml ? "page" : undefined}>
              Plain text
            </Link>
            <Link href={`${baseHref}?view=html`} className={tab(showHtml)} aria-current={showHtml ? "page" : undefined}>
              HTML (sandboxed)
            </Link>
          </nav>
        )
      }
    >
      {message.parseError && (
        <div className="mb-4">
          <Alert tone="warning">This message could not be parsed ({message.parseError}); its stored bytes are shown as text. Download the .eml to inspect it.</Alert>
        </div>
      )}
      {showHtml ? (
        <>
          <p className="mb-2 text-xs text-slate-500">Shown in a sandbox: scripts do not run and nothing is loaded from the internet.</p>
          {/* sandbox="" (no allow-scripts, no allow-same-origin) plus the CSP inside the document. */}
          <iframe
            sandbox=""
            srcDoc={message.htmlDocument ?? ""}
            title="HTML body (sandboxed)"
            referrerPolicy="no-referrer"
            className="h-[32rem] w-full rounded border border-slate-200 bg-white"
            data-testid="html-body"
          />
        </>
      ) : (
        <pre className="whitespace-pre-wrap break-words font-sans text-sm" data-testid="text-body">
          {message.text?.trim() ? message.text : <span className="text-slate-500">(no plain-text body)</span>}
        </pre>
      )}
    </Card>
  );
}

export function AttachmentList({ message }: { message: ArchivedMessageView }) {
  if (message.attachments.length === 0) return <p className="text-sm text-slate-600">No attachments.</p>;
  return (
    <ul className="divide-y divide-slate-200 text-sm" data-testid="attachments">
      {message.attachments.map((a) => (
        <li key={a.index} className="flex items-center justify-between gap-4 py-2">
          <span className="break-all">
            {a.fileName} <span className="text-slate-500">· {a.contentType} · {formatBytes(a.size)}</span>
          </span>
          <a href={`/api/v1/archive/messages/${message.id}/attachments/${a.index}`} download className="shrink-0 font-semibold text-brand hover:underline">
            Download
          </a>
        </li>
      ))}
    </ul>
  );
}
