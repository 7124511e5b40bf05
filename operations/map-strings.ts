/** `value` (plain data: strings, numbers, booleans, arrays, objects) with `map` applied to every string in it; keys stay. */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((inner: unknown) => mapStrings(inner, map)) as T;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mapStrings(inner, map)])) as T;
  return value;
}
