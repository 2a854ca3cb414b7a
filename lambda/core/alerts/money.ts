/** Writes amounts of money and rates the way alerts show them: `$1,310.40`, `$42.10/h`. */

/** US dollars with cents and thousands separators; large amounts without cents. */
export function usd(amount: number): string {
  const digits = Math.abs(amount) >= 10_000 ? 0 : 2;
  return `${amount < 0 ? '-' : ''}$${Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** A ratio such as `6.3x`, one decimal. */
export function times(ratio: number): string {
  return `${ratio >= 100 ? Math.round(ratio).toString() : ratio.toFixed(1)}x`;
}
