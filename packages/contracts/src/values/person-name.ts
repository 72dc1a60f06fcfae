/**
 * A person's name as shown to someone who must not identify them — a donor reading where a bursary
 * went, a spreadsheet leaving the county: the first and the last character stay, every other one is
 * a `*` (张三明 → 张*明, 欧阳娜娜 → 欧**娜, 张三 → 张*). Never throws.
 */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
