import { type Rng, seededRng } from "../../data/synth/signals.ts";

/** The generator of iteration `i` of a campaign seeded with `seed`: any iteration can be replayed alone. */
export function iterationRng(seed: number, i: number): Rng {
  return seededRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca77)) >>> 0);
}

export const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** 32-bit values that break size and count arithmetic. */
const INTERESTING_32 = [0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/**
 * Applies 1-8 random byte-level mutations: bit flips, interesting bytes and 16/32-bit values
 * (sizes, counts, rates), truncation, deletion, duplication and insertion of ranges.
 */
export function mutateBytes(input: Uint8Array, rng: Rng, maxLength = 1 << 24): Uint8Array {
  let b: Uint8Array = input.slice();
  const steps = int(rng, 1, 8);
  for (let s = 0; s < steps; s++) {
    const at = b.length ? int(rng, 0, b.length - 1) : 0;
    switch (int(rng, 0, 7)) {
      case 0:
        if (b.length) b[at]! ^= 1 << int(rng, 0, 7);
        break;
      case 1:
        if (b.length) b[at] = pick(rng, [0, 1, 0x7f, 0x80, 0xff, int(rng, 0, 255)]);
        break;
      case 2:
      case 3: {
        // a little-endian 32-bit field (sizes, rates), near the start where headers are
        const p = rng() < 0.7 ? int(rng, 0, Math.min(b.length, 256)) : at;
        if (p + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(p, pick(rng, INTERESTING_32), true);
        break;
      }
      case 4:
        setUint16Near(b, rng);
        break;
      case 5:
        b = b.slice(0, int(rng, 0, b.length));
        break;
      case 6: {
        const len = int(rng, 1, Math.max(1, Math.min(4096, b.length - at)));
        b = concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + len)));
        break;
      }
      case 7: {
        const len = int(rng, 1, Math.min(4096, Math.max(1, b.length)));
        const src = b.length ? b.subarray(int(rng, 0, Math.max(0, b.length - len)), int(rng, 0, b.length)) : new Uint8Array(0);
        const insert = rng() < 0.5 ? src : Uint8Array.from({ length: len }, () => int(rng, 0, 255));
        if (b.length + insert.length <= maxLength) b = concat(b.subarray(0, at), insert, b.subarray(at));
        break;
      }
    }
  }
  return b;
}

/** A 16-bit field of the first 64 bytes (format tags, channel counts, bit depths). */
function setUint16Near(b: Uint8Array, rng: Rng): void {
  const p = int(rng, 0, Math.min(b.length, 64));
  if (p + 2 <= b.length) new DataView(b.buffer, b.byteOffset).setUint16(p, pick(rng, [0, 1, 2, 3, 6, 7, 8, 16, 24, 32, 64, 0xfffe, 0xffff, 0x8000]), true);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A node of a parsed JSON document, walked and changed by key. */
// biome-ignore lint/suspicious/noExplicitAny: a JSON document of any shape
type JsonNode = any;

/** Values that break numeric fields of a JSON document. */
const INTERESTING_JSON: unknown[] = [0, -1, 1, 0.5, 2 ** 30, 2 ** 24, 1e9, 1e38, -1e38, 1e308, 1e-30, -0, null, "x", "", true, [], {}, [1, 2], 3.5];

/**
 * Mutates a parsed JSON document in place: 1-4 times, a random leaf (or array, or object) is
 * set to an interesting value, deleted, or an array is shortened or lengthened.
 */
export function mutateJson(doc: unknown, rng: Rng): void {
  const steps = int(rng, 1, 4);
  for (let s = 0; s < steps; s++) {
    const path = randomPath(doc, rng);
    if (path.length === 0) continue;
    const parent = path.slice(0, -1).reduce((o: JsonNode, k) => o[k], doc as JsonNode);
    const key = path[path.length - 1]!;
    const r = rng();
    if (r < 0.6) parent[key] = structuredClone(pick(rng, INTERESTING_JSON));
    else if (r < 0.75) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (Array.isArray(parent[key])) {
      const a = parent[key] as unknown[];
      if (rng() < 0.5) a.length = int(rng, 0, a.length);
      else a.push(...a.slice(0, int(rng, 1, 4)));
    } else if (typeof parent[key] === "number") parent[key] = parent[key] * pick(rng, [-1, 2, 10, 1000, 1e-6, 0.5]);
    else parent[key] = structuredClone(pick(rng, INTERESTING_JSON));
  }
}

/** A random path from the root, stopping at any depth (deeper nodes are as likely as shallow). */
function randomPath(doc: unknown, rng: Rng): (string | number)[] {
  const path: (string | number)[] = [];
  let node: JsonNode = doc;
  while (node && typeof node === "object") {
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const k = pick(rng, keys as (string | number)[]);
    path.push(k);
    node = node[k];
    if (rng() < 0.3) break;
  }
  return path;
}

/**
 * Mutates 1-3 numbers under `root` of a JSON document in place by plausible amounts (±1, ×2, ÷2,
 * ×10, sign), so that most results still pass validation and reach the code that uses them.
 */
export function nudgeNumbers(root: unknown, rng: Rng): void {
  const leaves: [JsonNode, string | number][] = [];
  const walk = (node: JsonNode) => {
    if (!node || typeof node !== "object") return;
    for (const k of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      if (typeof node[k] === "number") leaves.push([node, k]);
      else if (Array.isArray(node[k]) && node[k].length > 64)
        continue; // weights and means: mutateJson's job
      else walk(node[k]);
    }
  };
  walk(root);
  if (!leaves.length) return;
  for (let s = int(rng, 1, 3); s > 0; s--) {
    const [node, k] = pick(rng, leaves);
    const v = node[k] as number;
    node[k] = pick(rng, [v + 1, v - 1, v * 2, v / 2, v * 10, -v, Math.round(v * 1.5), 0]);
  }
}
