// The dashboard's entry point: sign-in, hash routing (#/overview, #/subscriptions, #/dead-letters[/id],
// #/events[/id]), the header and the flash message. Each page module exports render(container, context, route),
// which returns a function that stops what the page started (timers, charts).

import { admin, session } from './api.js';
import { h, replace } from './dom.js';
import { StatsSampler } from './sampler.js';
import * as overview from './pages/overview.js';
import * as subscriptions from './pages/subscriptions.js';
import * as deadLetters from './pages/dead-letters.js';
import * as deadLetter from './pages/dead-letter.js';
import * as eventPage from './pages/event.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const signOutButton = document.getElementById('sign-out');
const flashArea = document.getElementById('flash');
const groupName = document.getElementById('group-name');

let stopPage = () => {};
let nextFlash = null;
let firstPage = true;

const sampler = new StatsSampler((error) => expire(error));
sampler.subscribe(({ latest }) => {
  if (!latest) return;
  groupName.textContent = latest.queue === false
    ? `${latest.transport ?? 'in-memory'} · no queue`
    : `${latest.group ?? ''} · ${latest.transport ?? ''}`;
});

const context = {
  sampler,
  /** Shows a message now ('info', 'success' or 'error'). */
  flash(text, kind = 'info') {
    flashArea.textContent = text;
    flashArea.dataset.kind = kind;
  },
  /** Shows a message after the next navigation (it survives the page change). */
  flashNext(text, kind = 'success') {
    nextFlash = { text, kind };
  },
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  /** Shows a failed call in `container`; a refused token signs out. */
  showError(container, error) {
    if (error.unauthorized) {
      expire(error);
      return;
    }
    replace(container, errorBox(error));
  },
  errorBox,
  expire,
};

function errorBox(error) {
  return h('div', { class: 'alert', role: 'alert' },
    h('strong', { text: error.title ?? 'Error' }),
    error.detail ? h('span', { text: ` ${error.detail}` }) : null);
}

/** The token was refused while signed in: back to the sign-in form, with why. */
function expire(error) {
  signOut(`The token was refused (${error.status} ${error.title}). Sign in again.`);
}

function signOut(message) {
  session.signOut();
  sampler.stop();
  groupName.textContent = '';
  nextFlash = null;
  context.flash('');
  route(message);
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const question = raw.indexOf('?');
  const path = question < 0 ? raw : raw.slice(0, question);
  const params = new URLSearchParams(question < 0 ? '' : raw.slice(question + 1));
  const parts = path.split('/').filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return { parts, params };
}

function pageFor(parts) {
  switch (parts[0] ?? 'overview') {
    case 'overview': return { name: 'overview', module: overview, title: 'Overview' };
    case 'subscriptions': return { name: 'subscriptions', module: subscriptions, title: 'Subscriptions' };
    case 'dead-letters': return parts[1]
      ? { name: 'dead-letters', module: deadLetter, title: 'Dead letter' }
      : { name: 'dead-letters', module: deadLetters, title: 'Dead letters' };
    case 'events': return { name: 'events', module: eventPage, title: 'Event' };
    default: return null;
  }
}

function route(signInMessage) {
  stopPage();
  stopPage = () => {};
  if (!session.token()) {
    nav.hidden = true;
    signOutButton.hidden = true;
    document.title = 'Sign in · hexbus dashboard';
    renderSignIn(signInMessage);
    return;
  }
  nav.hidden = false;
  signOutButton.hidden = false;
  sampler.start();
  const { parts, params } = parseHash();
  const page = pageFor(parts);
  if (nextFlash) {
    context.flash(nextFlash.text, nextFlash.kind);
    nextFlash = null;
  } else {
    context.flash('');
  }
  for (const link of nav.querySelectorAll('a')) {
    if (page && link.dataset.page === page.name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!page) {
    document.title = 'Not found · hexbus dashboard';
    replace(main, h('h1', { tabindex: '-1', text: 'Not found' }),
      h('p', {}, 'No such page. ', h('a', { href: '#/overview', text: 'Go to the overview' })));
    return;
  }
  document.title = `${page.title} · hexbus dashboard`;
  const container = h('div', { class: 'page', dataset: { page: parts.join('/') || 'overview' } });
  replace(main, container);
  stopPage = page.module.render(container, context, { parts, params }) ?? (() => {});
  // After a navigation, focus goes to the new page's heading (a screen reader announces it; Tab continues from
  // there); on the first page of the visit it stays where the browser put it.
  const heading = container.querySelector('h1');
  if (heading && !firstPage) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
  firstPage = false;
}

function renderSignIn(message) {
  const input = h('input', {
    id: 'token', name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true,
    'aria-describedby': 'token-help',
  });
  const button = h('button', { type: 'submit', id: 'sign-in', text: 'Sign in' });
  const problem = h('p', { id: 'sign-in-error', class: 'alert', role: 'alert', hidden: !message, text: message ?? '' });
  const form = h('form', { class: 'sign-in', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'token', text: 'Admin token' }), input),
    h('p', {
      id: 'token-help', class: 'hint',
      text: 'The server\'s HEXBUS_ADMIN_TOKEN. It is kept in this tab only (sessionStorage) and sent as a bearer '
        + 'header; it is forgotten when the tab closes.',
    }),
    button, problem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      problem.textContent = 'Type the admin token.';
      problem.hidden = false;
      input.focus();
      return;
    }
    button.disabled = true;
    problem.hidden = true;
    try {
      // The statistics are the cheapest route behind the token: a 401 here means a wrong token.
      await admin.stats({ token });
      session.signIn(token);
      input.value = '';
      if (!location.hash || location.hash === '#' || location.hash === '#/') location.hash = '#/overview';
      route();
    } catch (error) {
      problem.textContent = error.unauthorized
        ? 'That token was refused (401 Unauthorized). No data is shown without the right token.'
        : `${error.title}${error.detail ? `: ${error.detail}` : ''}`;
      problem.hidden = false;
      button.disabled = false;
      input.select();
      input.focus();
    }
  });
  replace(main, h('section', { class: 'page sign-in-page', dataset: { page: 'sign-in' } },
    h('h1', { text: 'Sign in' }), form));
  input.focus();
}

signOutButton.addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => route());
route();
