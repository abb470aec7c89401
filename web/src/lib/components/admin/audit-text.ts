/**
 * How an audit event reads in a table: a translated label for the actions the product records (the raw
 * `area.object.verb` code otherwise, e.g. from a newer version), and its details in one line.
 */
import type { MessageKey, Translate } from '$lib/i18n';
import { en } from '$lib/i18n/messages/en';

export function actionLabel(t: Translate, action: string): string {
  const key = `staff.action.${action}`;
  return Object.hasOwn(en, key) ? t(key as MessageKey & `staff.action.${string}`) : action;
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '–';
}

/** `from → to` for a change, `field: from → to` for each edited field, `key: value` for the rest. */
export function detailsText(details: Record<string, unknown>): string {
  if ('from' in details && 'to' in details) {
    const rest = Object.entries(details).filter(([k]) => k !== 'from' && k !== 'to');
    const change = `${valueText(details.from)} → ${valueText(details.to)}`;
    return [change, ...rest.map(([k, v]) => `${k}: ${valueText(v)}`)].join('; ');
  }
  return Object.entries(details)
    .map(([key, value]) => {
      if (value !== null && typeof value === 'object' && 'from' in value && 'to' in value) {
        const change = value;
        return `${key}: ${valueText(change.from)} → ${valueText(change.to)}`;
      }
      return `${key}: ${valueText(value)}`;
    })
    .join('; ');
}
