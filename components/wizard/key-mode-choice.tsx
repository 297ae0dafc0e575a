"use client";

import type { KeyMode } from "@/components/query/wizard-api-types";

const DOWNLOAD = "inline-flex items-center rounded border border-slate-300 bg-white px-3 py-2 text-sm font-semibold text-brand outline-none hover:bg-slate-100 focus-visible:ring-2 focus-visible:ring-brand";

/** Which keys the connector uses, and the files to send ICE for that choice. */
export function KeyModeChoice({ keyMode, onChange }: { keyMode: KeyMode; onChange: (mode: KeyMode) => void }) {
  return (
    <div className="space-y-5">
      <fieldset>
        <legend className="text-sm font-semibold">How will the connector sign in to ICE and decrypt the files?</legend>
        <div className="mt-2 space-y-2">
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="keyMode" value="platform" checked={keyMode === "platform"} onChange={() => onChange("platform")} className="mt-1" />
            <span>
              I want to use PGP and SSH public keys provided by this service
              <span className="block text-xs text-slate-600">Send ICE the connector&apos;s public keys below; the private keys never leave this installation.</span>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="radio" name="keyMode" value="own" checked={keyMode === "own"} onChange={() => onChange("own")} className="mt-1" />
            <span>
              I want to use PGP and SSH private keys
              <span className="block text-xs text-slate-600">Your firm already exchanged keys with ICE: paste the private keys below.</span>
            </span>
          </label>
        </div>
      </fieldset>
      <div>
        <h3 className="text-sm font-semibold">Step 1: Send ICE what it needs to let this connector in</h3>
        <p className="mt-1 text-sm text-slate-600">
          {keyMode === "platform"
            ? "Download these files and send them to your ICE Chat representative. ICE allows the IP address and installs the SSH key for your firm's SFTP site, and encrypts your exports to the PGP key."
            : "Download the IP address file and send it to your ICE Chat representative, who adds it to your SFTP site's allow list."}
        </p>
        <div className="mt-2 flex flex-wrap gap-2">
          {keyMode === "platform" && (
            <>
              <a href="/api/v1/keys/ssh" download className={DOWNLOAD}>
                Download SSH key
              </a>
              <a href="/api/v1/keys/pgp" download className={DOWNLOAD}>
                Download PGP key
              </a>
            </>
          )}
          <a href="/api/v1/keys/ip" download className={DOWNLOAD}>
            Download IP address
          </a>
        </div>
      </div>
    </div>
  );
}
