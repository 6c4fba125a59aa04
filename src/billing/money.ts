/** Minor units as a decimal amount, e.g. 123456 → "1234.56" (currencies with two decimals). */
export function formatMinor(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
