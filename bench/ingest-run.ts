// One measured pass over encrypted source files, in its own process so peak RSS is this
// pass's alone: the same code an import run uses (openSourceFile + createItemPreparer),
// on one core. Prints one JSON line. Used by bench/ingest.ts.
// --stage stops early to show what each stage costs: "decrypt" (unwrap to plaintext
// only), "parse" (decrypt + parse to ChatItems), "full" (default: + map + convert).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openSourceFile } from "@/lib/imports/open-source-file";
import { createItemPreparer, type DestinationFormat } from "@/lib/imports/prepare-item";
import { readPgpPrivateKey } from "@/lib/keys/generate-pgp-key";
import { unwrapSource } from "@/lib/pgp/unwrap-source";
import { parseMappingCsv } from "@/lib/mapping/parse-mapping-csv";

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { key: { type: "string" }, mapping: { type: "string" }, format: { type: "string" }, firm: { type: "string" }, stage: { type: "string", default: "full" } },
  });
  const format = values.format as DestinationFormat;
  const stage = values.stage as "decrypt" | "parse" | "full";
  if (!["decrypt", "parse", "full"].includes(stage)) throw new Error(`unknown --stage ${stage}`);
  const { privateKeyArmored, passphrase } = JSON.parse(await readFile(values.key!, "utf8")) as { privateKeyArmored: string; passphrase: string };
  const mapping = parseMappingCsv(await readFile(values.mapping!));
  if (!mapping.ok) throw new Error("bad mapping CSV");
  const work = await mkdtemp(path.join(os.tmpdir(), "bench-ingest-"));
  const started = process.hrtime.bigint();
  const keys = [await readPgpPrivateKey(privateKeyArmored, passphrase)];
  const prepare = createItemPreparer({ format, firmCode: values.firm!, mappingRows: mapping.rows, autoMapping: true });
  let items = 0;
  let deliveries = 0;
  let bytes = 0;
  try {
    for (const file of positionals) {
      if (stage === "decrypt") {
        const unwrapped = unwrapSource({ path: file, name: path.basename(file), workDir: work, decryptionKeys: keys });
        try {
          for await (const part of unwrapped.parts) void part;
        } finally {
          await unwrapped.dispose();
        }
        continue;
      }
      const source = openSourceFile({ path: file, name: path.basename(file), workDir: work, decryptionKeys: keys });
      try {
        for await (const { record } of source.records()) {
          if (record.kind !== "item") continue;
          if (stage === "parse") {
            items++;
            continue;
          }
          const prepared = await prepare(record.item);
          items++;
          deliveries += prepared.mailboxes.length;
          bytes += typeof prepared.body === "string" ? prepared.body.length : prepared.body.byteLength;
        }
      } finally {
        await source.dispose();
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ stage, format, items, deliveries, bytes, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
