// npm run bench:ingest — throughput and peak memory of decrypt + parse + map + convert on
// generated, PGP-encrypted ICE Chat exports, against the baseline
// `gpg --decrypt FILE | xmllint --stream --noout -` on the same files.
//
// Scenarios: one file of N messages and one of 4N (memory must not grow with file size),
// on one core, with the Node flags the worker gives its import processes
// (BENCH_NODE_FLAGS overrides them). BENCH_MESSAGES sets N (default 200,000).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PROCESSOR_NODE_FLAGS } from "@/lib/imports/processor-node-flags";
import { generatePgpKey } from "@/lib/keys/generate-pgp-key";
import { formatUserMappingCsv, generateDay } from "@/tests/support/ice-chat-generator";

const N = Number(process.env.BENCH_MESSAGES ?? 200_000);
const MIME_MESSAGES = Number(process.env.BENCH_MIME_MESSAGES ?? 20_000);
const OUT = path.resolve(__dirname, "out");
const FIRM = "BENCH01";
const CORES = os.cpus().length;

function need(cmd: string, pkg: string): void {
  if (spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0) throw new Error(`${cmd} is missing: apt-get install -y ${pkg}`);
}

interface RunResult { format: string; items: number; deliveries: number; bytes: number; seconds: number; maxRssMiB: number }

type Stage = "decrypt" | "parse" | "full";

function runOurs(files: string[], keyFile: string, mappingFile: string, format: "graph" | "mime", stage: Stage = "full"): RunResult {
  const flags = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(" ").filter(Boolean) : [...PROCESSOR_NODE_FLAGS];
  const args = [...flags, "--conditions=react-server", "--import", "tsx", path.join(__dirname, "ingest-run.ts"),
    "--key", keyFile, "--mapping", mappingFile, "--format", format, "--firm", FIRM, "--stage", stage, ...files];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as RunResult;
}

/** The baseline, file after file; best of two runs (the first also starts gpg-agent). */
function runBaseline(files: string[], gnupgHome: string, passphrase: string): number {
  const once = () => {
    const started = process.hrtime.bigint();
    for (const file of files) {
      const r = spawnSync("bash", ["-o", "pipefail", "-c", `gpg --homedir "$GH" --batch --quiet --pinentry-mode loopback --passphrase "$PP" --decrypt "$F" | xmllint --stream --noout -`], {
        env: { ...process.env, GH: gnupgHome, PP: passphrase, F: file }, encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`baseline failed: ${r.stderr}`);
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  return Math.min(once(), once());
}

const fmt = (n: number, d = 0) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

async function main(): Promise<void> {
  need("gpg", "gnupg");
  need("xmllint", "libxml2-utils");
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  console.log(`machine: ${os.cpus()[0]?.model} × ${CORES}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);

  console.log("generating an RSA 4096 key pair (the platform default) …");
  const key = await generatePgpKey({ userId: { name: "ICE Chat Connector bench" }, type: "rsa", rsaBits: 4096 });
  const keyFile = path.join(OUT, "key.json");
  await writeFile(keyFile, JSON.stringify({ privateKeyArmored: key.privateKeyArmored, passphrase: key.passphrase }));
  const gnupgHome = path.join(OUT, "gnupg");
  await mkdir(gnupgHome, { mode: 0o700 });
  await writeFile(path.join(OUT, "private.asc"), key.privateKeyArmored);
  execFileSync("gpg", ["--homedir", gnupgHome, "--batch", "--pinentry-mode", "loopback", "--passphrase", key.passphrase, "--import", path.join(OUT, "private.asc")], { stdio: "ignore" });

  const scenarios = [
    { label: "1 file", messages: N, files: 1 },
    { label: "1 file, 4× larger", messages: 4 * N, files: 1 },
  ];
  const rows: string[] = [];
  const stageRows: string[] = [];
  for (const s of scenarios) {
    console.log(`generating ${fmt(s.messages)} messages in ${s.files} PGP-encrypted file(s) …`);
    const day = await generateDay({
      outputDir: path.join(OUT, `day-${s.messages}-${s.files}`), seed: 7, firmCode: FIRM, totalMessages: s.messages, files: s.files,
      conversations: Math.max(10, Math.round(s.messages / 200)), container: "xml", pgp: { armoredPublicKey: key.publicKeyArmored },
    });
    const files = day.files.map((f) => f.path);
    let size = 0;
    for (const f of files) size += (await stat(f)).size;
    const mappingFile = path.join(OUT, `mapping-${s.messages}-${s.files}.csv`);
    await writeFile(mappingFile, formatUserMappingCsv(day.manifest.users.filter((_, i) => i % 2 === 0)));

    const graph = runOurs(files, keyFile, mappingFile, "graph");
    if (graph.items !== s.messages) throw new Error(`expected ${s.messages} items, got ${graph.items}`);
    const base = runBaseline(files, gnupgHome, key.passphrase);
    const result = { ...s, fileMiB: size / 2 ** 20, graph, baseSeconds: base, ratio: graph.seconds / base };
    console.log(JSON.stringify(result));
    // What the libraries alone cost on the same file (openpgp decrypt; + saxes parse), against the same baseline.
    const decrypt = runOurs(files, keyFile, mappingFile, "graph", "decrypt");
    const parse = runOurs(files, keyFile, mappingFile, "graph", "parse");
    console.log(JSON.stringify({ stages: { decrypt: decrypt.seconds, parse: parse.seconds, full: graph.seconds }, baseSeconds: base }));
    stageRows.push(
      `| ${s.label} | ${fmt(decrypt.seconds, 2)} s (${fmt(decrypt.seconds / base, 1)}×) | ${fmt(parse.seconds, 2)} s (${fmt(parse.seconds / base, 1)}×) | ` +
        `${fmt(graph.seconds, 2)} s (${fmt(graph.seconds / base, 1)}×) | ${fmt(base, 2)} s |`,
    );
    rows.push(
      `| ${s.label} | ${fmt(s.messages)} | ${fmt(result.fileMiB)} MiB | ${fmt(graph.items / graph.seconds)} msg/s (${fmt(graph.seconds, 1)} s) | ` +
        `${fmt(graph.maxRssMiB)} MiB | ${fmt(base, 1)} s | ${fmt(result.ratio, 2)}× |`,
    );
  }

  console.log(`generating ${fmt(MIME_MESSAGES)} messages for the MIME pass …`);
  const mimeDay = await generateDay({
    outputDir: path.join(OUT, "mime"), seed: 7, firmCode: FIRM, totalMessages: MIME_MESSAGES,
    conversations: Math.max(10, Math.round(MIME_MESSAGES / 200)), container: "xml", pgp: { armoredPublicKey: key.publicKeyArmored },
  });
  const mimeMapping = path.join(OUT, "mapping-mime.csv");
  await writeFile(mimeMapping, formatUserMappingCsv(mimeDay.manifest.users));
  const mime = runOurs(mimeDay.files.map((f) => f.path), keyFile, mimeMapping, "mime");

  console.log("\n| scenario | messages | encrypted | ours: decrypt+parse+map+convert → Graph JSON | peak RSS | gpg ∣ xmllint | ours ÷ baseline |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) console.log(r);
  console.log("\n| scenario | decrypt only (÷ baseline) | decrypt + parse | decrypt + parse + map + convert | gpg ∣ xmllint |");
  console.log("|---|---:|---:|---:|---:|");
  for (const r of stageRows) console.log(r);
  console.log(`\nfull MIME (RFC 5322) instead of Graph JSON, 1 file of ${fmt(MIME_MESSAGES)}: ${fmt(mime.items / mime.seconds)} msg/s, peak RSS ${fmt(mime.maxRssMiB)} MiB`);
  await rm(OUT, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
