/**
 * A read-only map whose contents are replaced whole when the knowledge is reloaded. Every
 * component keeps the same LiveMap for the life of the process and sees the new records at
 * once; a reader never sees half of an old and half of a new catalogue.
 */
export class LiveMap<K, V> implements ReadonlyMap<K, V> {
  constructor(private current: ReadonlyMap<K, V> = new Map()) {}

  replace(next: ReadonlyMap<K, V>): void {
    this.current = next;
  }

  get size(): number {
    return this.current.size;
  }
  get(key: K): V | undefined {
    return this.current.get(key);
  }
  has(key: K): boolean {
    return this.current.has(key);
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.current.forEach((v, k) => fn.call(thisArg, v, k, this));
  }
  entries(): MapIterator<[K, V]> {
    return this.current.entries();
  }
  keys(): MapIterator<K> {
    return this.current.keys();
  }
  values(): MapIterator<V> {
    return this.current.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.current[Symbol.iterator]();
  }
}
