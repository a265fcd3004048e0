// Modal confirmations on <dialog> (never window.confirm): focus moves into the dialog, Escape cancels, and focus
// returns to where it was when the dialog closes.

import { h, uid } from './dom.js';

function open(content, { initialFocus, onSubmit }) {
  const returnTo = document.activeElement;
  const titleId = uid('dialog-title');
  const form = h('form', { class: 'dialog-form', novalidate: true }, content(titleId));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let result = null;
    form.addEventListener('submit', (event) => {
      event.preventDefault(); // never a real submission (CSP form-action 'none')
      const value = onSubmit(form);
      if (value === undefined) return; // invalid: stay open
      result = value;
      dialog.close();
    });
    form.querySelector('[data-cancel]').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
      resolve(result);
    });
    dialog.showModal();
    form.querySelector(initialFocus)?.focus();
  });
}

/**
 * Asks to confirm an action. Resolves true when confirmed, false when cancelled (button, Escape).
 * @param {{title: string, message: string|Node[], confirmLabel: string, danger?: boolean}} options
 */
export async function confirmAction({ title, message, confirmLabel, danger = true }) {
  const answer = await open((titleId) => [
    h('h2', { id: titleId, text: title }),
    h('p', {}, message),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', 'data-cancel': true, text: 'Cancel' }),
      h('button', { type: 'submit', class: danger ? 'danger' : '', 'data-confirm': true, text: confirmLabel })),
  ], { initialFocus: danger ? '[data-cancel]' : '[data-confirm]', onSubmit: () => true });
  return answer === true;
}

const UNITS = [['minutes', 60], ['hours', 3600], ['days', 86400]];
const MAX_SECONDS = 316224000; // the server's bound: ten years

/** Asks how old dead letters must be to be deleted. Resolves to seconds, or null when cancelled. */
export function askCleanAge() {
  const amountId = uid('clean-amount');
  const unitId = uid('clean-unit');
  const amount = h('input', { id: amountId, name: 'amount', type: 'number', min: '1', step: '1', value: '7', required: true, inputmode: 'numeric' });
  const unit = h('select', { id: unitId, name: 'unit' },
    UNITS.map(([name]) => h('option', { value: name, selected: name === 'days', text: name })));
  const summary = h('p', { class: 'dialog-summary', 'aria-live': 'polite' });
  const problem = h('p', { class: 'alert', role: 'alert', hidden: true });
  const confirm = h('button', { type: 'submit', class: 'danger', 'data-confirm': true });
  const seconds = () => {
    const n = Number(amount.value);
    const factor = UNITS.find(([name]) => name === unit.value)[1];
    return Number.isInteger(n) && n > 0 ? n * factor : null;
  };
  const describe = () => {
    const value = seconds();
    const text = value ? `${amount.value} ${unit.value}` : '…';
    summary.textContent = `Deletes every dead letter whose last failure is older than ${text}. This cannot be undone.`;
    confirm.textContent = `Delete older than ${text}`;
  };
  amount.addEventListener('input', describe);
  unit.addEventListener('change', describe);
  describe();
  return open((titleId) => [
    h('h2', { id: titleId, text: 'Clean old dead letters' }),
    h('div', { class: 'inline-fields' },
      h('div', { class: 'field' }, h('label', { for: amountId, text: 'Older than' }), amount),
      h('div', { class: 'field' }, h('label', { for: unitId, text: 'Unit' }), unit)),
    summary, problem,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', 'data-cancel': true, text: 'Cancel' }), confirm),
  ], {
    initialFocus: 'input',
    onSubmit: () => {
      const value = seconds();
      if (!value || value > MAX_SECONDS) {
        problem.textContent = 'Give a whole number above 0, at most ten years.';
        problem.hidden = false;
        amount.focus();
        return undefined;
      }
      return value;
    },
  });
}
