// Archive dates are shown in UTC everywhere: reviewers compare them with ICE's own
// timestamps, which are UTC, and a shared link must mean the same to everyone.

/** "2026-01-05 10:11:12 UTC" */
export function formatUtc(date: Date | null | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

export function mailboxHref(mailbox: string, folder?: string): string {
  const base = `/archive/${encodeURIComponent(mailbox)}`;
  return folder && folder !== "ICE Chat" ? `${base}?folder=${encodeURIComponent(folder)}` : base;
}
