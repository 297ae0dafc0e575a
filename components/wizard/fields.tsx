"use client";

import type { InputHTMLAttributes, ReactNode } from "react";

// Labelled form controls with the hint and the inline error wired to the input
// (aria-describedby, aria-invalid) so screen readers announce both.

const INPUT = "mt-1 block w-full rounded border px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-brand";

function describedBy(id: string, hint: ReactNode, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

// The required marker sits outside <label> so the accessible name stays exactly the label
// (aria-required says "required" to assistive technology).
function FieldLabel({ id, label, required }: { id: string; label: string; required?: boolean | undefined }) {
  return (
    <div className="flex gap-1 text-sm font-medium">
      <label htmlFor={id}>{label}</label>
      {required && (
        <span aria-hidden="true" className="text-red-700">
          *
        </span>
      )}
    </div>
  );
}

function FieldFooter({ id, hint, error, status }: { id: string; hint?: ReactNode; error?: string; status?: ReactNode }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {status}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700">
          {error}
        </p>
      )}
    </>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "id"> {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  /** Extra live status under the field (e.g. "Name is available"). */
  status?: ReactNode;
}

export function TextField({ id, label, value, onValueChange, hint, error, status, required, ...rest }: TextFieldProps) {
  return (
    <div>
      <FieldLabel id={id} label={label} required={required} />
      <input
        id={id}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        aria-required={required || undefined}
        className={`${INPUT} ${error ? "border-red-500" : "border-slate-300"}`}
        {...rest}
      />
      <FieldFooter id={id} hint={hint} error={error} status={status} />
    </div>
  );
}

/** Secrets: never autofilled from or offered to the browser's password store. */
export function SecretField(props: TextFieldProps) {
  return <TextField type="password" autoComplete="new-password" spellCheck={false} {...props} />;
}

interface TextAreaFieldProps {
  id: string;
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  onBlur?: () => void;
  hint?: ReactNode;
  error?: string;
  status?: ReactNode;
  required?: boolean;
  placeholder?: string;
  rows?: number;
}

export function TextAreaField({ id, label, value, onValueChange, onBlur, hint, error, status, required, placeholder, rows = 6 }: TextAreaFieldProps) {
  return (
    <div>
      <FieldLabel id={id} label={label} required={required} />
      <textarea
        id={id}
        value={value}
        rows={rows}
        placeholder={placeholder}
        onChange={(e) => onValueChange(e.target.value)}
        onBlur={onBlur}
        spellCheck={false}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        aria-required={required || undefined}
        className={`${INPUT} font-mono text-xs ${error ? "border-red-500" : "border-slate-300"}`}
      />
      <FieldFooter id={id} hint={hint} error={error} status={status} />
    </div>
  );
}

export function StatusText({ tone, children, testId }: { tone: "ok" | "error" | "muted"; children: ReactNode; testId?: string }) {
  const cls = tone === "ok" ? "text-emerald-700" : tone === "error" ? "text-red-700" : "text-slate-500";
  return (
    <p className={`mt-1 text-xs font-medium ${cls}`} role="status" data-testid={testId} data-tone={tone}>
      {children}
    </p>
  );
}
