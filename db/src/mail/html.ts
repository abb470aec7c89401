/**
 * HTML escaping for mail bodies. Every value that reaches an HTML mail goes through `escapeHtml`, once, in the
 * layout (`./templates/layout.ts`): template texts carry raw strings, so a name like `<script>` arrives as text.
 */
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and in double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}
