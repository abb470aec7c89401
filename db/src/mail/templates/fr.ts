/**
 * Les messages en français. Typographie française : espace insécable avant « : » et « ; », apostrophe
 * typographique.
 */
import type { Catalog } from './content';

/** No-break space, before the high punctuation marks (« : », « ; »), as French typography requires. */
const NBSP = '\u00a0';
const SIGNATURE = 'Le secrétariat de COPE';
const NETWORK = 'réseau Children of Prisoners Europe';

export const fr: Catalog = {
  colon: `${NBSP}:`,
  footer: (ctx) => `COPE Workspace, Children of Prisoners Europe${NBSP}: ${ctx.origin}`,
  templates: {
    invitation: (p, ctx) => ({
      subject:
        p.organisationName === undefined
          ? 'Invitation à COPE Workspace en tant que membre individuel'
          : `Invitation à COPE Workspace pour ${p.organisationName}`,
      greeting: p.inviteeName === undefined ? 'Bonjour,' : `Bonjour ${p.inviteeName},`,
      intro: [
        p.organisationName === undefined
          ? `${p.inviterName} vous invite à rejoindre COPE Workspace, l’espace de collaboration du ${NETWORK}, en tant que membre individuel du réseau.`
          : `${p.inviterName} vous invite à rejoindre COPE Workspace, l’espace de collaboration du ${NETWORK}, en tant que personne de contact pour ${p.organisationName}.`,
        'Ouvrez le lien ci-dessous pour choisir votre mot de passe et vous connecter.',
      ],
      action: { label: 'Accepter l’invitation', url: ctx.link('invitation', p.token) },
      outro: [
        `Ce lien ne sert qu’une fois et expire le ${ctx.dateTime(p.expiresAt)}.`,
        'Si vous n’attendiez pas cette invitation, vous pouvez ignorer ce message.',
      ],
      signature: SIGNATURE,
    }),

    'password-reset': (p, ctx) => ({
      subject: 'Réinitialisez votre mot de passe COPE Workspace',
      greeting: p.name === undefined ? 'Bonjour,' : `Bonjour ${p.name},`,
      intro: [
        'Quelqu’un, probablement vous, a demandé à réinitialiser le mot de passe de votre compte COPE Workspace.',
      ],
      action: { label: 'Choisir un nouveau mot de passe', url: ctx.link('passwordReset', p.token) },
      outro: [
        `Ce lien ne sert qu’une fois et expire le ${ctx.dateTime(p.expiresAt)}.`,
        `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message${NBSP}: votre mot de passe reste inchangé.`,
      ],
      signature: SIGNATURE,
    }),

    'application-received': (p) => ({
      subject: `Nous avons bien reçu la candidature de ${p.organisationName}`,
      greeting: `Bonjour ${p.contactName},`,
      intro: [
        `Merci d’avoir demandé l’adhésion de ${p.organisationName} au ${NETWORK}.`,
        `L’équipe de COPE va examiner la candidature, puis le conseil d’administration statuera, en général dans un délai de six mois. Nous vous écrirons à chaque étape.`,
      ],
      outro: [],
      signature: SIGNATURE,
    }),

    'application-approved': (p) => ({
      subject: `La candidature de ${p.organisationName} a été acceptée`,
      greeting: `Bonjour ${p.contactName},`,
      intro: [
        p.category === 'member'
          ? `Bonne nouvelle${NBSP}: le conseil d’administration a accepté la candidature de ${p.organisationName}, qui devient organisation membre du ${NETWORK}.`
          : `Bonne nouvelle${NBSP}: le conseil d’administration a accepté la candidature de ${p.organisationName}, qui rejoint le ${NETWORK} en tant qu’organisation candidate, première étape vers l’adhésion complète.`,
        'Vous allez recevoir un autre message qui vous invite à COPE Workspace, où vous choisirez votre mot de passe.',
      ],
      outro: ['Bienvenue dans le réseau.'],
      signature: SIGNATURE,
    }),

    'application-rejected': (p) => ({
      subject: `À propos de la candidature de ${p.organisationName}`,
      greeting: `Bonjour ${p.contactName},`,
      intro: [
        `Merci de l’intérêt que ${p.organisationName} porte au ${NETWORK}. Après examen, la candidature n’a pas été retenue, pour la raison suivante${NBSP}:`,
        p.reason,
      ],
      outro: ['Pour toute question, répondez à ce message.'],
      signature: SIGNATURE,
    }),

    'application-more-info': (p) => ({
      subject: `Informations complémentaires demandées pour la candidature de ${p.organisationName}`,
      greeting: `Bonjour ${p.contactName},`,
      intro: [
        `Merci pour la candidature de ${p.organisationName}. Avant de pouvoir l’examiner, l’équipe de COPE a besoin des éléments suivants${NBSP}:`,
        p.request,
      ],
      outro: ['Merci de répondre à ce message en y joignant les informations demandées.'],
      signature: SIGNATURE,
    }),

    'affiliate-confirm-email': (p, ctx) => ({
      subject: 'Confirmez votre adresse e-mail pour les nouvelles de COPE',
      greeting: p.name === undefined ? 'Bonjour,' : `Bonjour ${p.name},`,
      intro: [
        `Vous avez demandé à recevoir les nouvelles du ${NETWORK}. Merci de confirmer que cette adresse e-mail est bien la vôtre.`,
      ],
      action: { label: 'Confirmer mon adresse e-mail', url: ctx.link('confirmEmail', p.token) },
      outro: [
        ...(p.expiresAt === undefined ? [] : [`Ce lien expire le ${ctx.dateTime(p.expiresAt)}.`]),
        `Si vous n’avez rien demandé, ignorez ce message${NBSP}: vous ne recevrez rien d’autre.`,
      ],
      signature: SIGNATURE,
    }),

    'affiliate-account-exists': (p, ctx) => ({
      subject: 'Vous avez déjà un compte COPE Workspace',
      greeting: p.name === undefined ? 'Bonjour,' : `Bonjour ${p.name},`,
      intro: [
        `Quelqu’un, probablement vous, a demandé à recevoir les nouvelles du ${NETWORK} avec cette adresse e-mail. Cette adresse a déjà un compte COPE Workspace${NBSP}: rien de nouveau n’a été créé.`,
      ],
      action: { label: 'Se connecter', url: `${ctx.origin}/sign-in` },
      outro: [
        `Si vous avez oublié votre mot de passe, choisissez «${NBSP}Mot de passe oublié${NBSP}?${NBSP}» sur la page de connexion.`,
        'Si vous n’avez rien demandé, ignorez ce message.',
      ],
      signature: SIGNATURE,
    }),
  },
};
