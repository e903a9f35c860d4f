export function formatNumber(n: number): string {
  return n.toLocaleString('en-US');
}
