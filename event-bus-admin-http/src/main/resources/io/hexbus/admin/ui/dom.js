// Builds DOM nodes. Server data only ever becomes text nodes or attribute values, never markup: dead letters carry
// arbitrary text (errors, payloads), so nothing here parses HTML.

// Any other key is set with setAttribute, which never parses markup.
const FORBIDDEN = new Set(['style', 'srcdoc']);

/**
 * Creates an element.
 * props: `class`, `text` (textContent), `dataset` (object), `on<event>` (listener functions), any other attribute
 * (true sets it empty; false, null and undefined leave it out). Children: nodes, strings (as text), arrays, null.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (FORBIDDEN.has(key) || (key.startsWith('on') && typeof value !== 'function')) {
      throw new Error(`refusing attribute ${key}`); // CSP forbids inline styles and handlers anyway
    }
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends nodes and strings (as text nodes), flattening arrays and skipping null, undefined and false. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Text that may break after each dot (long Java class names as subscription names), as text nodes and <wbr>. */
export function breakable(text) {
  const parts = String(text).split('.');
  return parts.flatMap((part, i) => (i < parts.length - 1 ? [`${part}.`, document.createElement('wbr')] : [part]));
}

let uniqueIds = 0;

/** A document-unique id, for pairing labels with inputs. */
export function uid(prefix) {
  uniqueIds += 1;
  return `${prefix}-${uniqueIds}`;
}

/** A labelled input: returns { field, input }. */
export function labelled(labelText, inputProps = {}) {
  const id = inputProps.id ?? uid('field');
  const input = h('input', { type: 'text', ...inputProps, id });
  const field = h('div', { class: 'field' }, h('label', { for: id, text: labelText }), input);
  return { field, input };
}
