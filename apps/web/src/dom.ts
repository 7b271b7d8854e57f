/** A few DOM helpers: elements from tag, attributes and children; no framework, no innerHTML. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
export type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child as readonly Child[]);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `parent`. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A link inside the app (hash routing). */
export function link(route: string, text: Child, attributes: Attributes = {}): HTMLAnchorElement {
  return h('a', { href: `#${route}`, ...attributes }, text);
}

/** A labelled form control: <label for=id>text</label> + control. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintElement = hint ? h('span', { className: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { className: 'field' }, h('label', { for: id }, label), control, hintElement);
}

export function select(
  id: string,
  options: readonly { value: string; label: string }[],
  selected: string,
): HTMLSelectElement {
  return h(
    'select',
    { id, name: id },
    options.map((o) => h('option', { value: o.value, selected: o.value === selected }, o.label)),
  );
}

/** Text for screen readers only. */
export function srOnly(text: string): HTMLSpanElement {
  return h('span', { className: 'sr-only' }, text);
}

/**
 * A horizontally scrollable box for a wide table (phone widths): focusable, so keyboard users can
 * scroll it, and named as a region.
 */
export function scrollBox(label: string): HTMLDivElement {
  return h('div', { className: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': label });
}
