/** The methods each registered path answers, for a 405 with `Allow` instead of a 404. */
export function methodsByPath() {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  const patternOf = (url: string) =>
    new RegExp('^' + url.replace(/[.+?^$()|[\]\\{}]/g, '\\$&').replace(/:\w+/g, '[^/]+').replace(/\*/g, '.*') + '$');
  return {
    add(url: string, method: string | string[]) {
      routes.push({ pattern: patternOf(url), methods: [method].flat() });
    },
    /** The methods allowed on the path of `url` (its query ignored), or none for an unknown path. */
    of(url: string): string[] {
      const path = url.split('?')[0]!;
      const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
      return [...allowed].sort();
    },
  };
}
