/** The sign-in form: paste a bearer token (the link `npm start` prints signs in by itself). */
import { field, h, replace } from '../dom';
import { isExpired, saveToken, sessionOf } from '../session';
import { heading } from './page';

export function renderSignIn(main: HTMLElement, onSignedIn: () => void, reason?: string): void {
  const token = h('textarea', {
    id: 'token',
    name: 'token',
    rows: 4,
    required: true,
    spellcheck: 'false',
    autocomplete: 'off',
    'aria-invalid': 'false',
  });
  const error = h('p', { id: 'token-error', className: 'error', role: 'alert' });
  const form = h(
    'form',
    { className: 'sign-in panel', 'aria-labelledby': 'page-title' },
    reason ? h('p', { className: 'notice', role: 'status' }, reason) : null,
    field(
      'Bearer token',
      token,
      'A JWT from your identity provider or the one `npm start` printed (the link it prints signs you in directly).',
    ),
    error,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = token.value.trim().replace(/^Bearer\s+/i, '');
    const session = sessionOf(value);
    const problem = !session
      ? 'This is not a JWT (three base64url parts separated by dots).'
      : isExpired(session)
        ? 'This token has expired.'
        : null;
    if (problem || !saveToken(value)) {
      error.textContent = problem ?? 'This token cannot be used.';
      token.setAttribute('aria-invalid', 'true');
      token.setAttribute('aria-describedby', `${token.id}-hint token-error`);
      token.focus();
      return;
    }
    onSignedIn();
  });
  replace(main, heading('Sign in'), form);
  token.focus();
}
