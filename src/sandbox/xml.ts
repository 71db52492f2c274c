/**
 * A small ordered XML tree for the sandbox.
 *
 * CloudFront's distribution config is stored as the tree the client sent, not as a typed
 * object: that is what makes the sandbox keep members it has no rule about (origin groups,
 * staging settings, members added to the API after this code was written). Rules read the
 * tree through the accessors below; writes replace whole subtrees.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface XmlNode {
  name: string;
  /** Leaf text; undefined for an element with child elements. */
  text?: string;
  children: XmlNode[];
  attrs?: Record<string, string>;
}

export class XmlSyntaxError extends Error {}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function fromOrdered(entry: Ordered): XmlNode | undefined {
  const name = Object.keys(entry).find((k) => k !== ':@');
  if (!name || name === '#text' || name.startsWith('?')) return undefined;
  const raw = (entry[name] as Ordered[]) ?? [];
  const elements: XmlNode[] = [];
  let text = '';
  for (const child of raw) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const node = fromOrdered(child);
      if (node) elements.push(node);
    }
  }
  const node: XmlNode = elements.length > 0 ? { name, children: elements } : { name, text, children: [] };
  if (entry[':@']) node.attrs = { ...entry[':@'] };
  return node;
}

/** Parses one XML document; throws XmlSyntaxError with the parser's reason. */
export function parseXml(source: string): XmlNode {
  if (source.trim() === '') throw new XmlSyntaxError('The request body is empty.');
  const verdict = XMLValidator.validate(source);
  if (verdict !== true) throw new XmlSyntaxError(`${verdict.err.msg} (line ${verdict.err.line})`);
  const roots = (parser.parse(source) as Ordered[]).map(fromOrdered).filter((n): n is XmlNode => !!n);
  if (roots.length !== 1) throw new XmlSyntaxError('The document must have exactly one root element.');
  return roots[0]!;
}

/** Escapes text for XML; `\r` too, which an XML parser would otherwise normalise away. */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' })[c]!);
}

function write(node: XmlNode, out: string[]): void {
  const attrs = node.attrs
    ? Object.entries(node.attrs)
        .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
        .join('')
    : '';
  if (node.children.length === 0) {
    out.push(node.text ? `<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>` : `<${node.name}${attrs}/>`);
    return;
  }
  out.push(`<${node.name}${attrs}>`);
  for (const child of node.children) write(child, out);
  out.push(`</${node.name}>`);
}

export function serializeXml(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  write(root, out);
  return out.join('');
}

// ---- building -------------------------------------------------------------------------

type Content = XmlNode | string | number | boolean | undefined | null;

/** el('Id', 'E1') is a leaf; el('Origins', el(...), el(...)) has children; undefined children are skipped. */
export function el(name: string, ...content: Content[]): XmlNode {
  const present = content.filter((c) => c !== undefined && c !== null);
  if (present.length === 1 && typeof present[0] !== 'object') return { name, text: String(present[0]), children: [] };
  if (present.length === 0) return { name, text: '', children: [] };
  return { name, children: present.filter((c): c is XmlNode => typeof c === 'object') };
}

/** A CloudFront list: <Name><Quantity>n</Quantity><Items>…</Items></Name>, Items omitted when empty. */
export function list(name: string, items: XmlNode[], ...extra: (XmlNode | undefined)[]): XmlNode {
  return el(name, ...extra, el('Quantity', items.length), items.length ? el('Items', ...items) : undefined);
}

export function clone(node: XmlNode): XmlNode {
  return structuredClone(node);
}

// ---- reading --------------------------------------------------------------------------

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

/** Follows a path of element names: at(config, 'DefaultCacheBehavior', 'TargetOriginId'). */
export function at(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = child(current, name);
  return current;
}

export function text(node: XmlNode | undefined, ...path: string[]): string | undefined {
  const found = at(node, ...path);
  if (!found) return undefined;
  return found.children.length ? undefined : (found.text ?? '');
}

export function num(node: XmlNode | undefined, ...path: string[]): number | undefined {
  const value = text(node, ...path);
  return value === undefined || value.trim() === '' ? undefined : Number(value);
}

export function bool(node: XmlNode | undefined, ...path: string[]): boolean | undefined {
  const value = text(node, ...path);
  return value === undefined ? undefined : value.trim() === 'true';
}

/** The members of a CloudFront list element (the children of its Items). */
export function items(node: XmlNode | undefined, ...path: string[]): XmlNode[] {
  return child(at(node, ...path), 'Items')?.children ?? [];
}

export function setChild(node: XmlNode, replacement: XmlNode): void {
  const index = node.children.findIndex((c) => c.name === replacement.name);
  if (index >= 0) node.children[index] = replacement;
  else node.children.push(replacement);
}

/** Every element in the tree, depth first, with its parent. */
export function* walk(node: XmlNode, parent?: XmlNode): Generator<[XmlNode, XmlNode | undefined]> {
  yield [node, parent];
  for (const c of node.children) yield* walk(c, node);
}

/**
 * Plain-object view for JSON dumps: leaves become strings, `Items` become arrays.
 * Lossy on purpose (element names of list members are dropped); never used for storage.
 */
export function toPlain(node: XmlNode): unknown {
  if (node.children.length === 0) return node.text ?? '';
  if (node.name === 'Items') return node.children.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const c of node.children) out[c.name] = toPlain(c);
  return out;
}

/** CloudFront's list convention: a copy without `Items` where `Quantity` is 0, as CloudFront answers. */
export function omitEmptyItems(node: XmlNode): XmlNode {
  const copy = clone(node);
  for (const [element] of walk(copy)) {
    if (num(element, 'Quantity') === 0) element.children = element.children.filter((c) => c.name !== 'Items');
  }
  delete copy.attrs;
  return copy;
}
