import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// What a "use client" module imports as a value ships to the browser, and so does all
// that those modules import in turn, whatever their folder (components/wizard/wizard-state.ts
// has no directive, yet the wizard bundles it). Type-only imports are erased, so a
// component may take any type from lib/. A value import from lib/ must be one of the few
// modules deliberately shared with the browser, and nothing bundled may reach
// server-only, Prisma or a Node built-in. `next build` fails on some of these, but late,
// and a server module without a marker would be bundled without a word.

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** lib/ modules the browser runs: pure zod rules shared so the wizard checks fields as the server does. */
const SHARED_WITH_BROWSER = new Set(["lib/connectors/connector-input.ts"]);

const SOURCE = /\.tsx?$/;
const NODE_BUILTINS = new Set(builtinModules);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return SOURCE.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

function parse(file: string, text = readFileSync(path.join(ROOT, file), "utf8")): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function isClientEntry(source: ts.SourceFile): boolean {
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) return false;
    if (statement.expression.text === "use client") return true;
  }
  return false;
}

/** True when every named binding is `type`: with isolatedModules and no verbatimModuleSyntax the whole declaration is erased. */
function onlyTypeSpecifiers(elements: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/** Module specifiers that survive compilation: static, re-exported, dynamic and required. */
function valueImports(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const erased =
        clause !== undefined &&
        (clause.isTypeOnly || (!clause.name && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && onlyTypeSpecifiers(clause.namedBindings.elements)));
      if (!erased) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const erased = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && onlyTypeSpecifiers(node.exportClause.elements));
      if (!erased) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      if (!node.isTypeOnly) found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0]!)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) found.push(node.arguments[0]!.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A project source file (root-relative) for "@/…" and relative specifiers; null for a package or an asset (CSS, JSON). */
function resolveLocal(specifier: string, from: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith(".")) base = path.posix.join(path.posix.dirname(from), specifier);
  else return null;
  if (!SOURCE.test(base) && existsSync(path.join(ROOT, base)) && statSync(path.join(ROOT, base)).isFile()) return null;
  const candidate = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((p) => SOURCE.test(p) && existsSync(path.join(ROOT, p)));
  if (!candidate) throw new Error(`${from}: cannot resolve ${specifier}`);
  return candidate;
}

/** Why a module must never reach the browser, or null. */
function serverOnlyReason(specifier: string, resolved: string | null): string | null {
  if (resolved?.startsWith("lib/generated/prisma/")) return "the Prisma client";
  if (resolved !== null) return null;
  if (specifier === "server-only") return "marked server-only";
  if (specifier.startsWith("@prisma/") || specifier === "prisma") return "Prisma";
  if (specifier.startsWith("node:") || NODE_BUILTINS.has(specifier)) return "a Node built-in";
  return null;
}

interface Bundled {
  /** Root-relative file → the import chain from a "use client" module that brings it in. */
  chains: Map<string, string[]>;
  /** Value imports of server-only modules, each with the chain that reaches it. */
  leaks: string[];
}

function clientBundle(): Bundled {
  const entries = ["components", "app"].flatMap(sourceFiles).filter((f) => isClientEntry(parse(f)));
  const chains = new Map(entries.map((f) => [f, [f]]));
  const leaks = new Set<string>();
  const queue = [...entries];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const chain = chains.get(file)!;
    for (const specifier of valueImports(parse(file))) {
      const resolved = resolveLocal(specifier, file);
      const reason = serverOnlyReason(specifier, resolved);
      if (reason) leaks.add(`${[...chain, specifier].join(" → ")} (${reason})`);
      // One finding per way in is enough: the server module's own imports add only noise.
      if (resolved && !reason && !chains.has(resolved)) {
        chains.set(resolved, [...chain, resolved]);
        queue.push(resolved);
      }
    }
  }
  return { chains, leaks: [...leaks] };
}

describe("client bundle imports", () => {
  const bundled = clientBundle();

  it("finds the client modules", () => {
    expect(bundled.chains.has("components/query/use-connectors.ts")).toBe(true);
    expect(bundled.chains.has("components/wizard/wizard-state.ts")).toBe(true);
  });

  it("bundles from lib/ only the modules shared with the browser", () => {
    const fromLib = [...bundled.chains].filter(([file]) => file.startsWith("lib/"));
    const unexpected = fromLib.filter(([file]) => !SHARED_WITH_BROWSER.has(file)).map(([, chain]) => chain.join(" → "));
    expect(unexpected, "use `import type`, or move the value out of lib/ if the browser really needs it").toEqual([]);
    // A stale entry would quietly admit the next value import of that module.
    expect(fromLib.map(([file]) => file).sort()).toEqual([...SHARED_WITH_BROWSER].sort());
  });

  it("bundles nothing server-only, Prisma or Node", () => {
    expect(bundled.leaks).toEqual([]);
  });

  it("tells erased imports from those that ship", () => {
    const source = parse(
      "sample.ts",
      [
        'import type { A } from "erased-1";',
        'import { type B, type C } from "erased-2";',
        'export type { D } from "erased-3";',
        'export { type E } from "erased-4";',
        'import { f, type G } from "kept-1";',
        'import "kept-2";',
        'import * as h from "kept-3";',
        'export { i } from "kept-4";',
        'export * from "kept-5";',
        'const j = () => import("kept-6");',
        'const k = require("kept-7");',
        'type L = typeof import("erased-5");',
      ].join("\n"),
    );
    expect(valueImports(source)).toEqual(["kept-1", "kept-2", "kept-3", "kept-4", "kept-5", "kept-6", "kept-7"]);
  });
});
