/** What the channel pages hand to their components. */
import type { MentionKind } from '@cope/domain';

/** Someone (or an organisation) who can be @mentioned or picked for a channel. */
export interface Mentionable {
  kind: MentionKind;
  id: string;
  name: string;
}

export interface Me {
  id: string;
  name: string;
}
