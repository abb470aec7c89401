import { passwordLinkAction } from '$lib/server/password-link-action';
import type { Actions } from './$types';

export const actions: Actions = { default: passwordLinkAction('reset') };
