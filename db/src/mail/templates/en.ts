/** The mails in English. Plain, short sentences: many readers use English as a second language. */
import type { Catalog } from './content';

const SIGNATURE = 'The COPE secretariat';
const NETWORK = 'the Children of Prisoners Europe network';

export const en: Catalog = {
  colon: ':',
  footer: (ctx) => `COPE Workspace, Children of Prisoners Europe: ${ctx.origin}`,
  templates: {
    invitation: (p, ctx) => ({
      subject:
        p.organisationName === undefined
          ? 'Invitation to COPE Workspace as an individual member'
          : `Invitation to COPE Workspace for ${p.organisationName}`,
      greeting: p.inviteeName === undefined ? 'Hello,' : `Hello ${p.inviteeName},`,
      intro: [
        p.organisationName === undefined
          ? `${p.inviterName} invites you to join COPE Workspace, the collaboration space of ${NETWORK}, as an individual member of the network.`
          : `${p.inviterName} invites you to join COPE Workspace, the collaboration space of ${NETWORK}, as a contact person for ${p.organisationName}.`,
        'Open the link below to choose your password and sign in.',
      ],
      action: { label: 'Accept the invitation', url: ctx.link('invitation', p.token) },
      outro: [
        `This link works once and expires on ${ctx.dateTime(p.expiresAt)}.`,
        'If you did not expect this invitation, you can ignore this email.',
      ],
      signature: SIGNATURE,
    }),

    'password-reset': (p, ctx) => ({
      subject: 'Reset your COPE Workspace password',
      greeting: p.name === undefined ? 'Hello,' : `Hello ${p.name},`,
      intro: ['Someone, probably you, asked to reset the password of your COPE Workspace account.'],
      action: { label: 'Choose a new password', url: ctx.link('passwordReset', p.token) },
      outro: [
        `This link works once and expires on ${ctx.dateTime(p.expiresAt)}.`,
        'If you did not ask for this, ignore this email: your password stays as it is.',
      ],
      signature: SIGNATURE,
    }),

    'application-received': (p) => ({
      subject: `We have received the application of ${p.organisationName}`,
      greeting: `Hello ${p.contactName},`,
      intro: [
        `Thank you for applying to join ${NETWORK} on behalf of ${p.organisationName}.`,
        'COPE staff will review the application, then the board decides, usually within six months. We will write to you at each step.',
      ],
      outro: [],
      signature: SIGNATURE,
    }),

    'application-approved': (p) => ({
      subject: `The application of ${p.organisationName} has been approved`,
      greeting: `Hello ${p.contactName},`,
      intro: [
        p.category === 'member'
          ? `Good news: the board has approved the application of ${p.organisationName}, which is now a member organisation of ${NETWORK}.`
          : `Good news: the board has approved the application of ${p.organisationName}, which joins ${NETWORK} as an applicant organisation, the first step towards full membership.`,
        'You will receive a separate email inviting you to COPE Workspace, where you will choose your password.',
      ],
      outro: ['Welcome to the network.'],
      signature: SIGNATURE,
    }),

    'application-rejected': (p) => ({
      subject: `About the application of ${p.organisationName}`,
      greeting: `Hello ${p.contactName},`,
      intro: [
        `Thank you for the interest of ${p.organisationName} in ${NETWORK}. After review, the application has not been accepted, for the following reason:`,
        p.reason,
      ],
      outro: ['If you have questions, reply to this email.'],
      signature: SIGNATURE,
    }),

    'application-more-info': (p) => ({
      subject: `More information needed for the application of ${p.organisationName}`,
      greeting: `Hello ${p.contactName},`,
      intro: [
        `Thank you for the application of ${p.organisationName}. Before it can be reviewed, COPE staff need the following:`,
        p.request,
      ],
      outro: ['Please reply to this email with the information requested.'],
      signature: SIGNATURE,
    }),

    'affiliate-confirm-email': (p, ctx) => ({
      subject: 'Confirm your email address for the COPE news',
      greeting: p.name === undefined ? 'Hello,' : `Hello ${p.name},`,
      intro: [
        `You asked to receive the news of ${NETWORK}. Please confirm that this email address is yours.`,
      ],
      action: { label: 'Confirm my email address', url: ctx.link('confirmEmail', p.token) },
      outro: [
        ...(p.expiresAt === undefined ? [] : [`This link expires on ${ctx.dateTime(p.expiresAt)}.`]),
        'If you did not ask for this, ignore this email: you will receive nothing more.',
      ],
      signature: SIGNATURE,
    }),

    'affiliate-account-exists': (p, ctx) => ({
      subject: 'You already have a COPE Workspace account',
      greeting: p.name === undefined ? 'Hello,' : `Hello ${p.name},`,
      intro: [
        `Someone, probably you, asked to receive the news of ${NETWORK} with this email address. This address already has a COPE Workspace account, so nothing new was created.`,
      ],
      action: { label: 'Sign in', url: `${ctx.origin}/sign-in` },
      outro: [
        'If you have forgotten your password, choose "Forgotten your password?" on the sign-in page.',
        'If you did not ask for this, ignore this email.',
      ],
      signature: SIGNATURE,
    }),
  },
};
