import { LOCAL_PASSWORD, LocalAccount } from './accounts';

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} - Paved local identity provider</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem; }
label, input, button { display: block; width: 100%; box-sizing: border-box; }
input, button { margin: .25rem 0 1rem; padding: .5rem; font-size: 1rem; }
.error { color: #b00020; font-weight: 600; }
.hint { color: #555; font-size: .9rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The sign-in form. It names the sample people and their password on purpose: this
 * provider exists so that anyone trying the portal locally can be any of them.
 */
export function loginPage({
  uid,
  username,
  message,
  accounts,
}: {
  uid: string;
  username: string;
  message?: string;
  accounts: Map<string, LocalAccount>;
}): string {
  const options = [...accounts.values()]
    .map(
      a =>
        `<option value="${escapeHtml(a.username)}">${escapeHtml(
          a.name,
        )}</option>`,
    )
    .join('');
  const error = message
    ? `<p class="error" role="alert">${escapeHtml(message)}</p>`
    : '';
  return page(
    'Sign in',
    `<h1>Sign in to Paved</h1>
<p class="hint">Local identity provider of <code>./paved start</code>: sign in as any
person of the sample organisation. Every local account's password is
<code>${LOCAL_PASSWORD}</code> (local use only).</p>
${error}
<form method="post" action="/interaction/${escapeHtml(
      uid,
    )}/login" autocomplete="off">
<label for="username">Username</label>
<input id="username" name="username" list="people" required autofocus value="${escapeHtml(
      username,
    )}">
<datalist id="people">${options}</datalist>
<label for="password">Password</label>
<input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** A refused request (bad client, redirect URI, expired sign-in...): what and why. */
export function errorPage(error: string, description?: string): string {
  return page(
    'Sign-in refused',
    `<h1>Sign-in refused</h1>
<p class="error" role="alert">${escapeHtml(description ?? error)}</p>
<p class="hint">Error code: <code>${escapeHtml(
      error,
    )}</code>. Go back to the portal
and sign in again.</p>`,
  );
}
