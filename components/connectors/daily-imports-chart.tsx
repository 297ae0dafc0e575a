"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount } from "@/components/connectors/format";
import { useDailyImports } from "@/components/query/use-daily-imports";
import { Alert } from "@/components/ui/alert";

export function DailyImportsChart({ connectorId }: { connectorId: string }) {
  const daily = useDailyImports(connectorId, 30);
  if (daily.isPending) return <p className="text-sm text-slate-500" role="status">Loading imports per day…</p>;
  if (daily.isError && !daily.data) return <Alert tone="error">Could not load imports per day: {daily.error.message}</Alert>;
  const total = daily.data.reduce((sum, d) => sum + d.imported, 0);
  const peak = daily.data.reduce((max, d) => (d.imported > max.imported ? d : max), daily.data[0] ?? { date: "", imported: 0 });
  const summary =
    total === 0
      ? "No items were imported in the last 30 days."
      : `${formatCount(total)} items imported in the last 30 days; the busiest day was ${peak.date} with ${formatCount(peak.imported)}.`;
  return (
    <figure className="space-y-2" data-testid="daily-imports-chart">
      <div role="img" aria-label={summary} className="h-44 w-full">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={daily.data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="date" tickFormatter={(d: string) => d.slice(5)} tick={{ fontSize: 11 }} interval="preserveStartEnd" minTickGap={12} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={48} tickFormatter={(n: number) => formatCount(n)} />
            <Tooltip formatter={(value) => [formatCount(Number(value)), "Imported"]} labelFormatter={(label) => `${String(label)} (UTC)`} />
            <Bar dataKey="imported" name="Imported" fill="#0f6cbd" radius={[2, 2, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="text-xs text-slate-500">{summary}</figcaption>
    </figure>
  );
}
