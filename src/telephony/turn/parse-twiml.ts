/** One TwiML element: verb or noun, its attributes, and its children (elements and text). */
export interface TwimlElement {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
}
export type TwimlNode = TwimlElement | string;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const amp = text.indexOf('&', i);
    if (amp < 0) return out + text.slice(i);
    out += text.slice(i, amp);
    const semi = text.indexOf(';', amp);
    if (semi < 0) throw new Error('TwiML: unterminated entity');
    const name = text.slice(amp + 1, semi);
    if (name.startsWith('#x')) out += String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    else if (name.startsWith('#')) out += String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    else if (ENTITIES[name] !== undefined) out += ENTITIES[name];
    else throw new Error(`TwiML: unknown entity &${name};`);
    i = semi + 1;
  }
  return out;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';
const isNameChar = (c: string | undefined) => c !== undefined && !isSpace(c) && c !== '=' && c !== '>' && c !== '/' && c !== '<';

/**
 * A small XML reader for the TwiML our webhooks emit (the simulator follows it like Twilio):
 * elements, attributes in double or single quotes, text, the five named entities and character
 * references, the XML declaration and comments. No DTDs, CDATA or namespaces: TwiML uses none.
 * Returns the root element (`<Response>`); throws on malformed input.
 */
export function parseTwiml(xml: string): TwimlElement {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`TwiML: ${what} at offset ${i}`);
  };
  const skipSpace = () => {
    while (isSpace(xml[i])) i++;
  };
  const skipProlog = () => {
    for (;;) {
      skipSpace();
      if (xml.startsWith('<?', i)) {
        const end = xml.indexOf('?>', i);
        if (end < 0) fail('unterminated declaration');
        i = end + 2;
      } else if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else return;
    }
  };
  const readName = (): string => {
    const start = i;
    while (isNameChar(xml[i])) i++;
    if (i === start) fail('expected a name');
    return xml.slice(start, i);
  };

  const readElement = (): TwimlElement => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return { name, attrs, children: [] };
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const attr = readName();
      skipSpace();
      if (xml[i] !== '=') fail(`expected = after ${attr}`);
      i++;
      skipSpace();
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      const end = xml.indexOf(quote as string, i + 1);
      if (end < 0) fail('unterminated attribute value');
      attrs[attr] = decodeEntities(xml.slice(i + 1, end));
      i = end + 1;
    }
    const children: TwimlNode[] = [];
    for (;;) {
      if (i >= xml.length) fail(`unclosed <${name}>`);
      if (xml.startsWith('</', i)) {
        i += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (xml[i] !== '>') fail('expected >');
        i++;
        return { name, attrs, children };
      }
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (xml[i] === '<') {
        children.push(readElement());
        continue;
      }
      const next = xml.indexOf('<', i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      i = next < 0 ? xml.length : next;
      if (text.trim()) children.push(decodeEntities(text));
    }
  };

  skipProlog();
  const root = readElement();
  skipProlog();
  if (i < xml.length) fail('content after the root element');
  return root;
}

/** The text inside an element (a `<Say>`'s words, an `<Enqueue>`'s queue name), trimmed. */
export function textOf(element: TwimlElement): string {
  return element.children
    .map((c) => (typeof c === 'string' ? c : textOf(c)))
    .join('')
    .trim();
}

/** The element children only (text between verbs is insignificant whitespace). */
export function elementsOf(element: TwimlElement): TwimlElement[] {
  return element.children.filter((c): c is TwimlElement => typeof c !== 'string');
}
