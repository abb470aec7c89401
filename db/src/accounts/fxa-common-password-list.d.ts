// The package ships no types. It holds the 50,000 most common passwords of 8 characters or more, lower-cased.
declare module 'fxa-common-password-list' {
  const list: { test(password: string): boolean };
  export default list;
}
