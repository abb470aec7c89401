/**
 * English, the source catalog. Every string the interface shows lives here under a stable key;
 * `{name}` marks a value filled in at run time. fr.ts must have exactly the same keys.
 */
export const en = {
  'app.name': 'COPE Workspace',
  'app.network': 'Children of Prisoners Europe',

  'layout.skipToContent': 'Skip to main content',
  'layout.homeLink': 'COPE Workspace, home page',
  'layout.languageNav': 'Language',
  'layout.signIn': 'Sign in',
  'layout.footer.about':
    'COPE Workspace is where the Children of Prisoners Europe network works together: member organisations, researchers and COPE staff.',
  'layout.footer.privacy': 'What you write in a space stays in that space.',
  'layout.footer.languages': 'Available in English and French.',

  'landing.title': 'COPE Workspace: working together for children of imprisoned parents',
  'landing.eyebrow': 'For the Children of Prisoners Europe network',
  'landing.heading': 'One calm place to work together across Europe',
  'landing.lead':
    'COPE Workspace brings member organisations, researchers and COPE staff together to write studies and plans, talk them through and keep up with the network, wherever they are.',
  'landing.cta.signIn': 'Sign in',
  'landing.cta.join': 'Join the network',
  'landing.features.heading': 'What you can do here',
  'landing.features.write.title': 'Write together across countries',
  'landing.features.write.body':
    'Co-author research studies and project plans with partners in other countries, at the same time, in the same document.',
  'landing.features.discuss.title': 'Discuss in project channels',
  'landing.features.discuss.body':
    'Each project has its own channels, so conversations stay next to the work they are about.',
  'landing.features.news.title': 'Receive the network’s news',
  'landing.features.news.body':
    'News, events and campaigns from COPE and its members reach you in one place.',
  'landing.privacy.heading': 'Private spaces, by design',
  'landing.privacy.body':
    'Our work concerns children and families, so privacy comes first. Each study, project or working group has its own space, and nothing leaks outside the space it belongs to.',
  'landing.join.heading': 'Not a member yet?',
  'landing.join.body':
    'Organisations and individuals who support children of imprisoned parents are welcome to join the network.',

  'signIn.title': 'Sign in · COPE Workspace',
  'signIn.heading': 'Sign in',
  'signIn.intro': 'Use the email address your COPE invitation was sent to.',
  'signIn.email.label': 'Email address',
  'signIn.password.label': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.errors.heading': 'Please check the form',
  'signIn.errors.emailRequired': 'Enter your email address.',
  'signIn.errors.emailInvalid': 'Enter an email address in the form name@example.org.',
  'signIn.errors.emailTooLong': 'An email address can have at most {max} characters.',
  'signIn.errors.passwordRequired': 'Enter your password.',
  'signIn.errors.passwordTooLong': 'A password can have at most {max} characters.',
  'signIn.noAccount': 'Not a member yet?',
  'signIn.join': 'Join the network',

  'join.title': 'Join the network · COPE Workspace',
  'join.heading': 'Join the network',
  'join.body':
    'Organisations apply to become members of Children of Prisoners Europe, and individual members join by invitation. Online applications will open here soon.',
  'join.affiliate': 'Until then, you can follow the network’s news and events on the COPE website.',
  'join.back': 'Back to the home page',

  'error.title': 'Error {status} · COPE Workspace',
  'error.status': 'Error {status}',
  'error.notFound.heading': 'We cannot find this page',
  'error.notFound.body': 'The address may be mistyped, or the page may have moved.',
  'error.generic.heading': 'Something went wrong',
  'error.generic.body': 'This is not your fault. Please try again in a moment.',
  'error.reference': 'Reference: {code}',
  'error.home': 'Go to the home page',

  'layout.signOut': 'Sign out',
  'layout.staffArea': 'Staff area',
  'layout.account': 'Account',

  'signIn.failed.heading': 'We could not sign you in',
  'signIn.failed.body': 'The email address or the password is not correct.',
  'signIn.locked.heading': 'Too many attempts',
  'signIn.locked.one': 'Too many failed attempts. Please try again in 1 minute.',
  'signIn.locked.other': 'Too many failed attempts. Please try again in {minutes} minutes.',

  'home.title': 'Home · COPE Workspace',
  'home.heading': 'Welcome, {name}',
  'home.role': 'Your role in the network: {role}',
  'home.body': 'Your spaces, channels and the network’s news will appear here.',
  'home.staffLink': 'Open the staff area',
  'role.staff': 'COPE staff',
  'role.member': 'Member',
  'role.affiliate': 'Affiliate',

  'admin.title': 'Staff area · COPE Workspace',
  'admin.heading': 'Staff area',
  'admin.nav': 'Staff area',
  'admin.outboxLink': 'Outbox: mail sent by the workspace',
  'outbox.title': 'Outbox · COPE Workspace',
  'outbox.heading': 'Outbox',
  'outbox.intro':
    'Every message the workspace sends, newest first. When no mail server is configured, messages stay here and staff pass them on.',
  'outbox.empty': 'No messages yet.',
  'outbox.column.date': 'Date',
  'outbox.column.to': 'To',
  'outbox.column.subject': 'Subject',
  'outbox.column.status': 'Status',
  'outbox.status.outbox': 'Kept in the outbox',
  'outbox.status.sending': 'Sending',
  'outbox.status.sent': 'Sent',
  'outbox.status.failed': 'Failed',
  'outbox.back': 'Back to the outbox',
  'outbox.from': 'From',
  'outbox.redacted': 'The links in this message were removed when it was sent by mail.',
  'error.forbidden.heading': 'You cannot open this page',
  'error.forbidden.body': 'This page is for COPE staff only.',
} as const;
