// Compact in-memory maps for a few hundred thousand legacy documents: ids are kept as bytes in typed arrays
// (12 for an ObjectId, 16 for a UUID) behind open-addressing hash tables, about 50 bytes a document instead of
// the ~200 a Map of strings costs. Everything else per document lives in typed columns indexed the same way.

const hexVal = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) hexVal[48 + i] = i;
for (let i = 0; i < 6; i++) {
  hexVal[97 + i] = 10 + i;
  hexVal[65 + i] = 10 + i;
}

/** Writes the bytes of a hex id (dashes skipped) into out; false when the text is not exactly that many bytes of hex. */
function encode(text: string, out: Uint8Array): boolean {
  let n = 0;
  let hi = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 45) continue;
    const v = c < 128 ? hexVal[c] : -1;
    if (v < 0) return false;
    if (hi < 0) hi = v;
    else {
      if (n >= out.length) return false;
      out[n++] = (hi << 4) | v;
      hi = -1;
    }
  }
  return n === out.length && hi < 0;
}

const hex2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function decode(store: Uint8Array, at: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += hex2[store[at + i]];
  return len === 16 ? `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}` : s;
}

function grow<T extends Uint8Array | Int32Array | Float64Array | Uint16Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  let cap = Math.max(16, a.length);
  while (cap < need) cap *= 2;
  const b = new (a.constructor as new (n: number) => T)(cap);
  b.set(a);
  return b;
}

/** Keys of one width, stored once (in `store`, by document index); the table holds index + 1, 0 = empty. */
class KeyTable {
  store = new Uint8Array(0);
  private slots = new Int32Array(1024);
  private used = 0;
  private readonly scratch: Uint8Array;
  constructor(readonly width: number) {
    this.scratch = new Uint8Array(width);
  }

  private hash(bytes: Uint8Array, at: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.width; i++) h = Math.imul(h ^ bytes[at + i], 0x01000193);
    return h >>> 0;
  }

  private same(index: number, key: Uint8Array): boolean {
    const at = index * this.width;
    for (let i = 0; i < this.width; i++) if (this.store[at + i] !== key[i]) return false;
    return true;
  }

  find(text: string): number {
    if (!encode(text, this.scratch)) return -1;
    const mask = this.slots.length - 1;
    for (let s = this.hash(this.scratch, 0) & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s];
      if (v === 0) return -1;
      if (this.same(v - 1, this.scratch)) return v - 1;
    }
  }

  /** Stores the key for document `index`; false if it is not a key of this width. */
  put(text: string, index: number): boolean {
    if (!encode(text, this.scratch)) return false;
    this.store = grow(this.store, (index + 1) * this.width);
    this.store.set(this.scratch, index * this.width);
    if ((this.used + 1) * 4 > this.slots.length * 3) this.rehash();
    this.place(index);
    this.used++;
    return true;
  }

  private place(index: number) {
    const mask = this.slots.length - 1;
    let s = this.hash(this.store, index * this.width) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = index + 1;
  }

  private rehash() {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    for (const v of old) if (v !== 0) this.place(v - 1);
  }

  text(index: number): string {
    return decode(this.store, index * this.width, this.width);
  }

  get bytes() {
    return this.store.byteLength + this.slots.byteLength;
  }
}

/** Dense indexes 0..n-1 for the documents of one collection, found by either id form. */
export class LegacyIndex {
  size = 0;
  private oids = new KeyTable(12);
  private uuids = new KeyTable(16);
  private has = new Uint8Array(0); // bit 1: has oid, bit 2: has uuid

  /** Index of the document with this `_id` hex or `id` UUID, or -1. */
  find(ref: string | null | undefined): number {
    if (!ref) return -1;
    return ref.length === 24 ? this.oids.find(ref) : ref.length === 36 ? this.uuids.find(ref) : -1;
  }

  /** Adds a document; returns its index, or -1 when either id is already taken (a duplicate document). */
  add(oid: string | null, uuid: string | null): number {
    if ((oid && this.oids.find(oid) >= 0) || (uuid && this.uuids.find(uuid) >= 0)) return -1;
    const i = this.size++;
    this.has = grow(this.has, i + 1);
    if (oid && this.oids.put(oid, i)) this.has[i] |= 1;
    if (uuid && this.uuids.put(uuid, i)) this.has[i] |= 2;
    return i;
  }

  oid(i: number): string | null {
    return this.has[i] & 1 ? this.oids.text(i) : null;
  }
  uuid(i: number): string | null {
    return this.has[i] & 2 ? this.uuids.text(i) : null;
  }
  /** The id to show a person: the UUID the old app displayed, else the ObjectId. */
  label(i: number): string {
    return this.uuid(i) ?? this.oid(i) ?? `#${i}`;
  }
  get bytes() {
    return this.oids.bytes + this.uuids.bytes + this.has.byteLength;
  }
}

/** A growable typed column indexed by document. */
export class Column<T extends Int32Array | Float64Array | Uint8Array | Uint16Array> {
  constructor(
    private a: T,
    private readonly fill = 0,
  ) {
    if (fill !== 0) a.fill(fill as never);
  }
  get(i: number): number {
    return i < this.a.length ? this.a[i] : this.fill;
  }
  set(i: number, v: number) {
    if (i >= this.a.length) {
      const before = this.a.length;
      this.a = grow(this.a, i + 1);
      if (this.fill !== 0) this.a.fill(this.fill as never, before);
    }
    this.a[i] = v;
  }
  get bytes() {
    return this.a.byteLength;
  }
}

export const int32 = (fill = 0) => new Column(new Int32Array(0), fill);
export const float64 = (fill = 0) => new Column(new Float64Array(0), fill);
export const uint8 = (fill = 0) => new Column(new Uint8Array(0), fill);
export const uint16 = () => new Column(new Uint16Array(0));

/** A growable list of int32 values (pairs, index lists). */
export class IntList {
  private a = new Int32Array(64);
  length = 0;
  push(...vs: number[]) {
    this.a = grow(this.a, this.length + vs.length);
    for (const v of vs) this.a[this.length++] = v;
  }
  at(i: number) {
    return this.a[i];
  }
}
