// Sign-in is a later issue; until then every change made in the browser is recorded under this one
// name, so the audit trail already says "web" rather than nothing, and only this line changes later.
export const WEB_ACTOR = "web";
