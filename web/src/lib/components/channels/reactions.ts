/** The small fixed set of reactions offered on every message (others sent by other clients still show). */
export const REACTIONS = ['👍', '❤️', '😄', '🎉', '🙏', '👀'] as const;
