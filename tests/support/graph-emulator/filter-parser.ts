// A small OData $filter parser covering what Outlook mail accepts for messages and folders.
// Anything it does not understand is a 400, never silently ignored, because a filter the
// emulator ignored would "match everything" and hide a broken dedupe lookup.

import { badRequest } from "./graph-error";

export type CompareOp = "eq" | "ne" | "gt" | "ge" | "lt" | "le";

export type Literal =
  | { type: "string"; value: string }
  | { type: "boolean"; value: boolean }
  | { type: "datetime"; value: string }
  | { type: "number"; value: number }
  | { type: "null" };

export type FilterNode =
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; operand: FilterNode }
  | { kind: "compare"; property: string; op: CompareOp; value: Literal }
  | { kind: "function"; name: "startswith" | "contains" | "endswith"; property: string; value: string }
  | { kind: "anyExtended"; id: string; valueOp: CompareOp | null; value: string | null }
  /** collection/any(variable: predicate), e.g. proxyAddresses/any(p:p eq 'smtp:a@b'); the predicate names the variable as its property. */
  | { kind: "any"; collection: string; variable: string; predicate: FilterNode };

type Token = { kind: "string" | "word" | "number" | "datetime" | "punct"; text: string; pos: number };

const COMPARE_OPS: readonly CompareOp[] = ["eq", "ne", "gt", "ge", "lt", "le"];

function syntaxError(filter: string, pos: number, detail: string): Error {
  return badRequest("BadRequest", `Invalid filter clause: Syntax error at position ${pos} in '${filter}'. ${detail}`.trim());
}

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i] ?? "";
    if (/\s/.test(ch)) { i += 1; continue; }
    if (ch === "'") {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= filter.length) throw syntaxError(filter, i, "Unterminated string literal.");
        if (filter[j] === "'") {
          if (filter[j + 1] === "'") { value += "'"; j += 2; continue; }
          break;
        }
        value += filter[j];
        j += 1;
      }
      tokens.push({ kind: "string", text: value, pos: i });
      i = j + 1;
      continue;
    }
    if ("():,".includes(ch)) { tokens.push({ kind: "punct", text: ch, pos: i }); i += 1; continue; }
    const datetime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})/.exec(filter.slice(i));
    if (datetime) { tokens.push({ kind: "datetime", text: datetime[0], pos: i }); i += datetime[0].length; continue; }
    const number = /^-?\d+(\.\d+)?/.exec(filter.slice(i));
    if (number) { tokens.push({ kind: "number", text: number[0], pos: i }); i += number[0].length; continue; }
    const word = /^[A-Za-z_@][\w./@]*/.exec(filter.slice(i));
    if (word) { tokens.push({ kind: "word", text: word[0], pos: i }); i += word[0].length; continue; }
    throw syntaxError(filter, i, `Unexpected character '${ch}'.`);
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly filter: string, private readonly tokens: Token[]) {}

  private peek(): Token | undefined { return this.tokens[this.index]; }
  private next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw syntaxError(this.filter, this.filter.length, "Unexpected end of expression.");
    this.index += 1;
    return token;
  }
  private expect(kind: Token["kind"], text?: string): Token {
    const token = this.next();
    if (token.kind !== kind || (text !== undefined && token.text.toLowerCase() !== text.toLowerCase())) {
      throw syntaxError(this.filter, token.pos, `Expected ${text ?? kind} but found '${token.text}'.`);
    }
    return token;
  }
  private isWord(text: string): boolean {
    const token = this.peek();
    return token?.kind === "word" && token.text.toLowerCase() === text;
  }

  parse(): FilterNode {
    const node = this.parseOr();
    const rest = this.peek();
    if (rest) throw syntaxError(this.filter, rest.pos, `Unexpected '${rest.text}'.`);
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (this.isWord("or")) { this.next(); left = { kind: "or", left, right: this.parseAnd() }; }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseUnary();
    while (this.isWord("and")) { this.next(); left = { kind: "and", left, right: this.parseUnary() }; }
    return left;
  }

  private parseUnary(): FilterNode {
    if (this.isWord("not")) { this.next(); return { kind: "not", operand: this.parseUnary() }; }
    const token = this.peek();
    if (token?.kind === "punct" && token.text === "(") {
      this.next();
      const inner = this.parseOr();
      this.expect("punct", ")");
      return inner;
    }
    return this.parsePrimary();
  }

  private parseLiteral(): Literal {
    const token = this.next();
    if (token.kind === "string") return { type: "string", value: token.text };
    if (token.kind === "datetime") return { type: "datetime", value: token.text };
    if (token.kind === "number") return { type: "number", value: Number(token.text) };
    if (token.kind === "word" && /^(true|false)$/i.test(token.text)) return { type: "boolean", value: token.text.toLowerCase() === "true" };
    if (token.kind === "word" && token.text.toLowerCase() === "null") return { type: "null" };
    throw syntaxError(this.filter, token.pos, `Expected a literal but found '${token.text}'.`);
  }

  private parseCompareOp(): CompareOp {
    const token = this.expect("word");
    const op = COMPARE_OPS.find((o) => o === token.text.toLowerCase());
    if (!op) throw syntaxError(this.filter, token.pos, `Unknown operator '${token.text}'.`);
    return op;
  }

  private parsePrimary(): FilterNode {
    const token = this.expect("word");
    const lower = token.text.toLowerCase();
    if (lower === "startswith" || lower === "contains" || lower === "endswith") {
      this.expect("punct", "(");
      const property = this.expect("word").text;
      this.expect("punct", ",");
      const value = this.expect("string").text;
      this.expect("punct", ")");
      return { kind: "function", name: lower, property, value };
    }
    if (/^singlevalueextendedproperties\/any$/i.test(token.text)) return this.parseAnyExtended(token);
    const lambda = /^(.+)\/any$/i.exec(token.text);
    if (lambda?.[1]) return this.parseAny(lambda[1]);
    return { kind: "compare", property: token.text, op: this.parseCompareOp(), value: this.parseLiteral() };
  }

  private parseAny(collection: string): FilterNode {
    this.expect("punct", "(");
    const variable = this.expect("word").text;
    this.expect("punct", ":");
    const predicate = this.parseOr();
    this.expect("punct", ")");
    return { kind: "any", collection, variable, predicate };
  }

  // singleValueExtendedProperties/Any(ep: ep/id eq '<id>' [and ep/value <op> '<value>'])
  private parseAnyExtended(start: Token): FilterNode {
    this.expect("punct", "(");
    const variable = this.expect("word").text;
    this.expect("punct", ":");
    const idRef = this.expect("word");
    if (idRef.text !== `${variable}/id` && idRef.text.toLowerCase() !== `${variable}/id`.toLowerCase()) {
      throw syntaxError(this.filter, idRef.pos, `Expected '${variable}/id'.`);
    }
    this.expect("word", "eq");
    const id = this.expect("string").text;
    let valueOp: CompareOp | null = null;
    let value: string | null = null;
    if (this.isWord("and")) {
      this.next();
      const valueRef = this.expect("word");
      if (valueRef.text.toLowerCase() !== `${variable}/value`.toLowerCase()) throw syntaxError(this.filter, valueRef.pos, `Expected '${variable}/value'.`);
      valueOp = this.parseCompareOp();
      value = this.expect("string").text;
    }
    const close = this.next();
    if (close.kind !== "punct" || close.text !== ")") {
      throw badRequest("ErrorInvalidUrlQueryFilter", `The query filter contains one or more invalid nodes (near position ${close.pos}, lambda starting at ${start.pos}).`);
    }
    return { kind: "anyExtended", id, valueOp, value };
  }
}

export function parseFilter(filter: string): FilterNode {
  if (filter.trim() === "") throw badRequest("BadRequest", "Invalid filter clause: The $filter expression must not be empty.");
  return new Parser(filter, tokenize(filter)).parse();
}
