import type { Catalog } from './catalog';

/**
 * French. Typed as `Catalog`, so a key missing from or added to this file is a type error.
 * Typography: a narrow no-break space (U+202F) before « : ; ? ! », and « » with no-break spaces.
 */
export const fr: Catalog = {
  'app.name': 'COPE Workspace',
  'app.network': 'Children of Prisoners Europe',

  'layout.skipToContent': 'Aller au contenu principal',
  'layout.homeLink': 'COPE Workspace, page d’accueil',
  'layout.languageNav': 'Langue',
  'layout.signIn': 'Se connecter',
  'layout.footer.about':
    'COPE Workspace est l’espace de travail commun du réseau Children of Prisoners Europe\u202f: organisations membres, chercheurs et chercheuses, équipe de COPE.',
  'layout.footer.privacy': 'Ce que vous écrivez dans un espace reste dans cet espace.',
  'layout.footer.languages': 'Disponible en anglais et en français.',

  'landing.title': 'COPE Workspace\u202f: travailler ensemble pour les enfants de parents détenus',
  'landing.eyebrow': 'Pour le réseau Children of Prisoners Europe',
  'landing.heading': 'Un lieu serein pour travailler ensemble à travers l’Europe',
  'landing.lead':
    'COPE Workspace réunit les organisations membres, les chercheurs et chercheuses et l’équipe de COPE pour rédiger études et projets, en discuter et suivre la vie du réseau, où que vous soyez.',
  'landing.cta.signIn': 'Se connecter',
  'landing.cta.join': 'Rejoindre le réseau',
  'landing.features.heading': 'Ce que vous pouvez faire ici',
  'landing.features.write.title': 'Rédiger ensemble, d’un pays à l’autre',
  'landing.features.write.body':
    'Corédigez des études de recherche et des plans de projet avec des partenaires d’autres pays, en même temps, dans le même document.',
  'landing.features.discuss.title': 'Échanger dans les canaux de projet',
  'landing.features.discuss.body':
    'Chaque projet a ses propres canaux\u202f: les conversations restent au plus près du travail qu’elles concernent.',
  'landing.features.news.title': 'Recevoir les nouvelles du réseau',
  'landing.features.news.body':
    'Actualités, événements et campagnes de COPE et de ses membres vous parviennent en un seul endroit.',
  'landing.privacy.heading': 'Des espaces privés, par conception',
  'landing.privacy.body':
    'Notre travail concerne des enfants et des familles\u202f: la confidentialité passe avant tout. Chaque étude, projet ou groupe de travail a son propre espace, et rien ne sort de l’espace auquel il appartient.',
  'landing.join.heading': 'Pas encore membre\u202f?',
  'landing.join.body':
    'Les organisations et les personnes qui soutiennent les enfants de parents détenus sont les bienvenues dans le réseau.',

  'signIn.title': 'Connexion · COPE Workspace',
  'signIn.heading': 'Se connecter',
  'signIn.intro': 'Utilisez l’adresse e-mail à laquelle votre invitation COPE a été envoyée.',
  'signIn.email.label': 'Adresse e-mail',
  'signIn.password.label': 'Mot de passe',
  'signIn.submit': 'Se connecter',
  'signIn.errors.heading': 'Veuillez vérifier le formulaire',
  'signIn.errors.emailRequired': 'Saisissez votre adresse e-mail.',
  'signIn.errors.emailInvalid': 'Saisissez une adresse e-mail de la forme nom@exemple.org.',
  'signIn.errors.emailTooLong': 'Une adresse e-mail compte au plus {max}\u00a0caractères.',
  'signIn.errors.passwordRequired': 'Saisissez votre mot de passe.',
  'signIn.errors.passwordTooLong': 'Un mot de passe compte au plus {max}\u00a0caractères.',
  'signIn.noAccount': 'Pas encore membre\u202f?',
  'signIn.join': 'Rejoindre le réseau',

  'join.title': 'Rejoindre le réseau · COPE Workspace',
  'join.heading': 'Rejoindre le réseau',
  'join.body':
    'Les organisations demandent à devenir membres de Children of Prisoners Europe, et les membres individuels rejoignent le réseau sur invitation. Les demandes en ligne ouvriront bientôt ici.',
  'join.affiliate':
    'D’ici là, vous pouvez suivre les actualités et les événements du réseau sur le site de COPE.',
  'join.back': 'Retour à la page d’accueil',

  'error.title': 'Erreur {status} · COPE Workspace',
  'error.status': 'Erreur {status}',
  'error.notFound.heading': 'Nous ne trouvons pas cette page',
  'error.notFound.body': 'L’adresse est peut-être mal saisie, ou la page a été déplacée.',
  'error.generic.heading': 'Un problème est survenu',
  'error.generic.body': 'Ce n’est pas de votre faute. Veuillez réessayer dans un instant.',
  'error.reference': 'Référence\u202f: {code}',
  'error.home': 'Aller à la page d’accueil',

  'layout.signOut': 'Se déconnecter',
  'layout.staffArea': 'Espace équipe',
  'layout.account': 'Compte',

  'signIn.failed.heading': 'Connexion impossible',
  'signIn.failed.body': 'L’adresse e-mail ou le mot de passe est incorrect.',
  'signIn.locked.heading': 'Trop de tentatives',
  'signIn.locked.one': 'Trop de tentatives infructueuses. Veuillez réessayer dans 1\u00a0minute.',
  'signIn.locked.other': 'Trop de tentatives infructueuses. Veuillez réessayer dans {minutes}\u00a0minutes.',

  'home.title': 'Accueil · COPE Workspace',
  'home.heading': 'Bienvenue, {name}',
  'home.role': 'Votre rôle dans le réseau\u202f: {role}',
  'home.body': 'Vos espaces, vos canaux et les nouvelles du réseau apparaîtront ici.',
  'home.staffLink': 'Ouvrir l’espace équipe',
  'role.staff': 'Équipe COPE',
  'role.member': 'Membre',
  'role.affiliate': 'Affilié',

  'admin.title': 'Espace équipe · COPE Workspace',
  'admin.heading': 'Espace équipe',
  'admin.nav': 'Espace équipe',
  'admin.outboxLink': 'Boîte d’envoi\u202f: messages envoyés par l’espace de travail',
  'outbox.title': 'Boîte d’envoi · COPE Workspace',
  'outbox.heading': 'Boîte d’envoi',
  'outbox.intro':
    'Tous les messages envoyés par l’espace de travail, du plus récent au plus ancien. Sans serveur de messagerie configuré, les messages restent ici et l’équipe les transmet.',
  'outbox.empty': 'Aucun message pour l’instant.',
  'outbox.column.date': 'Date',
  'outbox.column.to': 'Destinataire',
  'outbox.column.subject': 'Objet',
  'outbox.column.status': 'État',
  'outbox.status.outbox': 'Conservé dans la boîte d’envoi',
  'outbox.status.sending': 'Envoi en cours',
  'outbox.status.sent': 'Envoyé',
  'outbox.status.failed': 'Échec',
  'outbox.back': 'Retour à la boîte d’envoi',
  'outbox.from': 'De',
  'outbox.redacted': 'Les liens de ce message ont été retirés lors de son envoi par e-mail.',
  'error.forbidden.heading': 'Vous ne pouvez pas ouvrir cette page',
  'error.forbidden.body': 'Cette page est réservée à l’équipe COPE.',
};
