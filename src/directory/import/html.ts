/**
 * Turns the HTML that directory feeds put in descriptions into safe plain text: tags removed,
 * the contents of scripts, styles and other non-text elements dropped, entities decoded once,
 * paragraphs and line breaks kept as newlines, list items as "- " lines. The result is text, never
 * markup: pages escape it like any other text and the ORUK API emits it as a JSON string.
 */

/** Elements whose content is not text for a reader (an unclosed one drops everything after it). */
const DROPPED_ELEMENTS = ['script', 'style', 'template', 'noscript', 'iframe', 'object', 'svg', 'math', 'head', 'title', 'select', 'textarea'].map(
  (name) => new RegExp(`<${name}\\b[^>]{0,2000}>[\\s\\S]*?(</${name}\\s*>|$)`, 'gi'),
);

/** Elements that start a new line (closing a paragraph-like one leaves a blank line). */
const PARAGRAPH = new Set(['p', 'div', 'section', 'article', 'header', 'footer', 'aside', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'form', 'fieldset', 'figure', 'address', 'main', 'nav', 'hr']);
const LINE = new Set(['br', 'tr', 'dt', 'dd', 'caption', 'figcaption']);

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ',
  ndash: '–', mdash: '—', lsquo: '‘', rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„',
  hellip: '…', bull: '•', middot: '·', pound: '£', euro: '€', cent: '¢', yen: '¥', copy: '©', reg: '®',
  trade: '™', deg: '°', plusmn: '±', times: '×', divide: '÷', frac12: '½', frac14: '¼', frac34: '¾',
  sect: '§', para: '¶', laquo: '«', raquo: '»', iexcl: '¡', iquest: '¿', shy: '', zwj: '', zwnj: '',
  aacute: 'á', agrave: 'à', acirc: 'â', auml: 'ä', atilde: 'ã', aring: 'å', aelig: 'æ', ccedil: 'ç',
  eacute: 'é', egrave: 'è', ecirc: 'ê', euml: 'ë', iacute: 'í', igrave: 'ì', icirc: 'î', iuml: 'ï',
  ntilde: 'ñ', oacute: 'ó', ograve: 'ò', ocirc: 'ô', ouml: 'ö', otilde: 'õ', oslash: 'ø', szlig: 'ß',
  uacute: 'ú', ugrave: 'ù', ucirc: 'û', uuml: 'ü', yacute: 'ý', yuml: 'ÿ', oelig: 'œ', scaron: 'š',
  Aacute: 'Á', Agrave: 'À', Acirc: 'Â', Auml: 'Ä', Atilde: 'Ã', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç',
  Eacute: 'É', Egrave: 'È', Ecirc: 'Ê', Euml: 'Ë', Iacute: 'Í', Igrave: 'Ì', Icirc: 'Î', Iuml: 'Ï',
  Ntilde: 'Ñ', Oacute: 'Ó', Ograve: 'Ò', Ocirc: 'Ô', Ouml: 'Ö', Otilde: 'Õ', Oslash: 'Ø',
  Uacute: 'Ú', Ugrave: 'Ù', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', OElig: 'Œ', Scaron: 'Š',
};

/** Anything that looks like markup or an entity: plain text skips the work. */
const LOOKS_LIKE_HTML = /<[a-zA-Z!/?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});/;

/** Longer text is cut: no directory description needs more, and it bounds the work done here. */
const MAX_LENGTH = 100_000;
const TAG_START = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/;

/** What a tag leaves in the text: line breaks for block elements, nothing for the rest. */
function tagText(closing: boolean, name: string): string {
  if (name === 'li') return closing ? '' : '\n- ';
  if (name === 'td' || name === 'th') return ' ';
  if (PARAGRAPH.has(name)) return '\n\n';
  if (LINE.has(name)) return '\n';
  return '';
}

/**
 * Removes tags in one pass over the text (no regular expression that could backtrack): a "<"
 * that does not start a tag is text; a tag runs to the first ">" outside a quoted attribute
 * value; an unclosed tag hides the rest of the text, as it would in a browser.
 */
function stripTags(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt === -1) return out + text.slice(i);
    out += text.slice(i, lt);
    const start = TAG_START.exec(text.slice(lt, lt + 64));
    if (!start) {
      out += '<';
      i = lt + 1;
      continue;
    }
    let j = lt + start[0].length;
    let quote = '';
    let previous = '';
    for (; j < text.length; j++) {
      const ch = text[j]!;
      if (quote) {
        if (ch === quote) quote = '';
      } else if ((ch === '"' || ch === "'") && previous === '=') quote = ch;
      else if (ch === '>') break;
      if (ch !== ' ' && !quote) previous = ch;
    }
    if (j >= text.length) return out;
    out += tagText(start[1] === '/', start[2]!.toLowerCase());
    i = j + 1;
  }
  return out;
}

/** Decodes character references once (so "&amp;lt;" becomes "&lt;", not "<"). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // Control characters, surrogates and out-of-range values are not text.
      if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff) || (code < 32 && code !== 10 && code !== 9)) return '';
      if (code === 0xa0) return ' ';
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

/** Removes control characters (keeping newlines and tabs) and unifies line endings. */
function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029\ufeff]/g, '');
}

/** Trims every line, collapses runs of spaces, and allows at most one blank line in a row. */
export function tidyLines(text: string): string {
  return text
    .replace(/[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** HTML (or plain text) to tidy plain text with paragraph breaks kept as newlines. */
export function htmlToText(input: string): string {
  let text = stripControls(input.length > MAX_LENGTH ? input.slice(0, MAX_LENGTH) : input);
  if (!LOOKS_LIKE_HTML.test(text)) return tidyLines(text);
  // Text with entities but no tags keeps its own line breaks.
  if (!/<[a-zA-Z!/?]/.test(text)) return tidyLines(stripControls(decodeEntities(text)));
  text = text
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?(\]\]>|$)/g, '')
    .replace(/<[!?][^>]{0,2000}>/g, '');
  for (const element of DROPPED_ELEMENTS) text = text.replace(element, '');
  // Newlines in the source are just spaces in HTML.
  text = text.replace(/\n/g, ' ');
  // Removing "<b>" from "<<b>script>" makes a new tag: a few passes, then any "<" that could
  // still start a tag goes too, so the result never holds markup.
  for (let pass = 0, previous = ''; pass < 3 && previous !== text; pass++) {
    previous = text;
    text = stripTags(text);
  }
  text = text.replace(/<+(?=[a-zA-Z/!?])/g, '');
  return tidyLines(stripControls(decodeEntities(text)));
}

/** One line of text: markup removed and every run of whitespace, newlines included, made one space. */
export function htmlToLine(input: string): string {
  return htmlToText(input).replace(/\s+/g, ' ').trim();
}
