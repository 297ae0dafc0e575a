import { ButtonLink } from "@/components/ui/button";

export function ConnectorTypes() {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" aria-label="Connector types">
      <li className="flex flex-col justify-between rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <div>
          <h3 className="font-semibold">ICE Chat</h3>
          <p className="mt-1 text-sm text-slate-600">
            Import ICE Chat conversations from your firm&apos;s ICE SFTP site into Microsoft 365 mailboxes.
          </p>
        </div>
        <div className="mt-4">
          <ButtonLink href="/connectors/ice-chat" variant="secondary">
            View
          </ButtonLink>
        </div>
      </li>
    </ul>
  );
}
