/**
 * Runs axe-core inside a page against WCAG 2.2 level A and AA and returns its violations.
 * The result crosses from the browser as plain JSON, so it is checked before it is trusted.
 */
import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { z } from 'zod';

export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

const violationsSchema = z.object({
  violations: z.array(
    z.object({
      id: z.string(),
      impact: z.string().nullish(),
      help: z.string(),
      nodes: z.array(z.object({ target: z.array(z.unknown()), failureSummary: z.string().nullish() })),
    }),
  ),
});

export type AxeViolation = z.infer<typeof violationsSchema>['violations'][number];

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const options = JSON.stringify({ runOnly: { type: 'tag', values: WCAG_22_AA_TAGS } });
  // A string expression keeps browser globals (window.axe, document) out of the Node type check.
  const result: unknown = await page.evaluate(`window.axe.run(document, ${options})`);
  return violationsSchema.parse(result).violations;
}

/** A readable account of violations for an assertion message. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n` +
        v.nodes.map((n) => `  at ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`).join('\n'),
    )
    .join('\n');
}
