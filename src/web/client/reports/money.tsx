// Money as statements show it: minor units in, the currency and two decimals out (a credit with a minus).

export function money(cents: number, currency: string): string {
  const sign = cents < 0 ? '−' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-HK');
  return `${sign}${currency} ${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents from what a person typed in the currency ("1,234.5" → 123450), or undefined. */
export function centsOf(text: string): number | undefined {
  const clean = text.replaceAll(',', '').trim();
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return undefined;
  const [whole, fraction = ''] = clean.split('.') as [string, string?];
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function StatementState(props: { state: 'draft' | 'issued' }) {
  return <span class={`tag ${props.state === 'issued' ? 'ok' : 'warn'}`}>{props.state === 'issued' ? 'issued' : 'draft'}</span>;
}
