import type { SubmitFunction } from '@sveltejs/kit';
import { tick } from 'svelte';

/**
 * The `use:enhance` submit function of a form whose answer (a notice, or the summary of what was refused)
 * takes focus once it shows: the fields keep what was typed, as they do without JavaScript, and a screen
 * reader reads the answer. `answer` is read after the update, when the answer's element exists.
 */
export function focusAnswerAfterSubmit(answer: () => { focus(): void } | undefined): SubmitFunction {
  return () =>
    async ({ update }) => {
      await update({ reset: false });
      await tick();
      answer()?.focus();
    };
}
