"use client";

import dynamic from "next/dynamic";

// Browser-only: the wizard restores its draft from sessionStorage while it initialises,
// which the server cannot see (rendering it there would mismatch on hydration).
const IceChatWizard = dynamic(() => import("@/components/wizard/ice-chat-wizard").then((m) => m.IceChatWizard), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-600">Loading the wizard…</p>,
});

export function WizardLoader({ connectorId }: { connectorId?: string }) {
  return <IceChatWizard {...(connectorId ? { connectorId } : {})} />;
}
