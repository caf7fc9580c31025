/** `make()` on the first call, the same value on every later one. */
export function once<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}

/**
 * Getters for the members of an object built on first use: `const schema = lazily(define)` then
 * `export const ChipSchema = schema("ChipSchema")`, called as `ChipSchema()`.
 */
export function lazily<T extends object>(make: () => T): <K extends keyof T>(key: K) => () => T[K] {
  const get = once(make);
  return (key) => () => get()[key];
}
