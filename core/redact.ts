/**
 * The one place credentials are removed from text before it reaches a log line, an error
 * message or a terminal: URL passwords, credential query parameters and known secret values.
 */

/** Query parameters that carry a credential (EIA's api_key, bearer tokens in URLs). */
const CREDENTIAL_PARAMS = ['api_key', 'apikey', 'token', 'access_token'];
const CREDENTIAL_IN_TEXT = /\b(api_key|apikey|token|access_token)=[^&\s"']+/gi;
export const REDACTED = 'redacted';

/** A URL with its password and credential query parameters replaced by `redacted`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = REDACTED;
    for (const key of CREDENTIAL_PARAMS) {
      if (parsed.searchParams.has(key)) parsed.searchParams.set(key, REDACTED);
    }
    return parsed.toString();
  } catch {
    return scrub(url);
  }
}

/** Removes every credential-looking query parameter and every given secret from a message. */
export function scrub(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(CREDENTIAL_IN_TEXT, `$1=${REDACTED}`);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
