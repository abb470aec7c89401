/** English: Staff administration: members, organisations, categories, the audit log; affiliate sign-up. Keys start with `staff.`; staff.fr.ts has the same keys. */
export const staffEn = {} as const;
