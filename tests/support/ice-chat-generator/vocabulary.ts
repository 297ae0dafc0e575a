// Names, companies and chat phrases for realistic generated exports. The unicode lists mix
// accents, CJK, RTL scripts and emoji, because those are what break encoders and mailers.

import type { Prng } from "./prng";

export interface GeneratedUser {
  imId: string;
  email: string;
  loginName: string;
  firstName: string;
  lastName: string;
  companyName: string;
}

const ASCII_FIRST = ["John", "Ann", "Peter", "Maria", "David", "Laura", "Mark", "Susan", "Tom", "Emma", "James", "Olivia"];
const ASCII_LAST = ["Smith", "Lee", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Clark", "Lewis", "Walker", "Hall", "Young"];
const UNICODE_FIRST = ["José", "Zoë", "Søren", "François", "Ångström", "伟", "さくら", "محمد", "דוד", "Łukasz", "Chloé", "Dmitrï"];
const UNICODE_LAST = ["Müller", "Ørsted", "Núñez", "王", "山田", "الحسن", "כהן", "Wałęsa", "Dvořák", "Çelik", "O'Brien", "Smith & Co"];

const COMPANIES = [
  { name: "ACME Energy", slug: "acme" },
  { name: "Northwind Brokers", slug: "northwind" },
  { name: "Contoso Trading", slug: "contoso" },
  { name: "Fabrikam Commodities", slug: "fabrikam" },
  { name: "Tailspin Power", slug: "tailspin" },
];

const PHRASES = [
  "Bid 2.85 Jun, 10k/day?",
  "Offer 2.87",
  "Can you work 2.86 for Q3?",
  "Done, confirm by email",
  "What's the spread on Cal-27?",
  "Market looks thin this morning",
  "Brent up 40c, NBP following",
  "I'll check with the desk and revert",
  "Lifting your offer for 5 lots",
  "Pass for now, thanks",
  "Price <2.90> & volume \"25k\" — 'firm'",
];
const UNICODE_PHRASES = [
  "Prix révisé: 2,87 € pour Q3 — d'accord?",
  "価格は2.87です。確認お願いします",
  "السعر 2.87 للربع الثالث",
  "המחיר 2.87, מאושר",
  "Deal done 🎉📈 thanks!",
  "Grüße aus Zürich, Straße gesperrt",
  "👍🏽 confirmed, 交易完成",
];

function asciiSlug(text: string): string {
  return text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

/** A deterministic pool of ICE users; ImIds and e-mails are unique and ASCII. */
export function buildUserPool(prng: Prng, count: number, unicode: boolean): GeneratedUser[] {
  const users: GeneratedUser[] = [];
  for (let i = 0; i < count; i++) {
    const useUnicode = unicode && prng.chance(0.5);
    const firstName = prng.pick(useUnicode ? UNICODE_FIRST : ASCII_FIRST);
    const lastName = prng.pick(useUnicode ? UNICODE_LAST : ASCII_LAST);
    const company = prng.pick(COMPANIES);
    const first = asciiSlug(firstName) || "user";
    const last = asciiSlug(lastName) || "x";
    const loginName = `${first.slice(0, 1)}${last}${i + 1}`;
    users.push({
      imId: `${loginName}@ice.${company.slug}`,
      email: `${first}.${last}.${i + 1}@${company.slug}.example`,
      loginName,
      firstName,
      lastName,
      companyName: company.name,
    });
  }
  return users;
}

export function pickPhrase(prng: Prng, unicode: boolean): string {
  if (unicode && prng.chance(0.3)) return prng.pick(UNICODE_PHRASES);
  const phrase = prng.pick(PHRASES);
  // Occasionally a multi-line message, as traders paste quotes.
  return prng.chance(0.05) ? `${phrase}\n${prng.pick(PHRASES)}` : phrase;
}

export function pickRoomName(prng: Prng, unicode: boolean, index: number): string {
  const base = prng.pick(["NatGas Brokers", "Power Desk", "Crude Options", "Freight", "Emissions", "Coal API2"]);
  const suffix = unicode && prng.chance(0.2) ? " — Ölmarkt 市场" : "";
  return `${base} ${index + 1}${suffix}`;
}
