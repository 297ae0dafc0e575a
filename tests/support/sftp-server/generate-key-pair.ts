import { utils } from "ssh2";

type KeyPairOptions = { comment?: string } & ({ passphrase: string; cipher: string; rounds: number } | object);

/**
 * ssh2's generateKeyPairSync("ed25519") occasionally (~0.3% of calls, ssh2 1.17)
 * writes a 31-byte public key when the key starts with a zero byte, producing keys
 * that ssh2 itself cannot parse. Regenerate until both halves parse, so tests never flake.
 */
export function generateUsableKeyPair(type: "ed25519" | "rsa", options: KeyPairOptions = {}): { private: string; public: string } {
  const passphrase = "passphrase" in options ? options.passphrase : undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = type === "rsa" ? utils.generateKeyPairSync("rsa", { bits: 2048, ...options }) : utils.generateKeyPairSync("ed25519", options);
    const publicKey = utils.parseKey(pair.public);
    const privateKey = utils.parseKey(pair.private, passphrase);
    if (!(publicKey instanceof Error) && !(privateKey instanceof Error)) return pair;
  }
  throw new Error(`could not generate a usable ${type} key pair`);
}
