import type { ConnectorListItem } from "@/lib/connectors/list-connectors";

export function ConnectorTable({ connectors }: { connectors: ConnectorListItem[] }) {
  if (connectors.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center" data-testid="connectors-empty">
        <p className="font-semibold">No connectors yet</p>
        <p className="mt-1 text-sm text-slate-600">Choose ICE Chat above and add a connector to start importing.</p>
      </div>
    );
  }
  return (
    <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-left text-sm">
      <thead className="bg-slate-100 text-slate-600">
        <tr>
          <th className="px-4 py-2 font-semibold">Name</th>
          <th className="px-4 py-2 font-semibold">Status</th>
          <th className="px-4 py-2 font-semibold">Firm code</th>
          <th className="px-4 py-2 font-semibold">SFTP site</th>
          <th className="px-4 py-2 font-semibold">Daily run (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {connectors.map((c) => (
          <tr key={c.id} className="border-t border-slate-200">
            <td className="px-4 py-2 font-medium">{c.name}</td>
            <td className="px-4 py-2">{c.state === "PAUSED" ? "Paused" : "Active"}</td>
            <td className="px-4 py-2">{c.firmCode}</td>
            <td className="px-4 py-2">{c.sftpHost}</td>
            <td className="px-4 py-2">{c.scheduleTime}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
