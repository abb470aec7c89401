/**
 * A stable colour per person for carets, selections and avatars: the same person has the same colour in
 * every document and every browser. Every colour carries white text at 4.5:1 or more (WCAG AA), so the
 * name label on a caret stays readable.
 */
const PALETTE = [
  '#1f5f5b', // teal
  '#9a3412', // rust
  '#1b4f72', // blue
  '#6b21a8', // purple
  '#8a4b08', // ochre
  '#166534', // green
  '#9d174d', // rose
  '#3f4a9c', // indigo
  '#7c2d12', // brown
  '#0f5d7a', // petrol
] as const;

/** FNV-1a over the id: cheap, stable, and spreads similar ids apart. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function colourOf(userId: string): string {
  return PALETTE[hash(userId) % PALETTE.length] ?? PALETTE[0];
}

/** Up to two initials for an avatar ("Ana María López" -> "AL"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : '';
  return (first + last).toLocaleUpperCase();
}
