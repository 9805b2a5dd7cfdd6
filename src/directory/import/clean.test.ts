/** The sanitiser, the field cleaners and the id mapping: no database needed. */
import { describe, expect, it } from 'vitest';
import { htmlToLine, htmlToText } from './html.ts';
import { FieldCleaner } from './clean.ts';
import { IdMapper, uuidV5 } from './ids.ts';
import { describeProgress, terminalProgress } from './progress.ts';

describe('HTML descriptions become safe plain text', () => {
  it('keeps paragraphs and line breaks as newlines and list items as lines', () => {
    const html = '<p>Weekly <b>art</b> club.</p>\n<p>Bring:<br>paper<br/>pens</p><ul><li>Paint</li><li>Draw</li></ul>';
    expect(htmlToText(html)).toBe('Weekly art club.\n\nBring:\npaper\npens\n\n- Paint\n- Draw');
  });

  it('drops the contents of scripts, styles and comments, even unclosed ones', () => {
    expect(htmlToText('Hello<script>alert("x")</script> there<style>p{color:red}</style><!-- note -->!')).toBe('Hello there!');
    expect(htmlToText('Safe text<script>document.cookie')).toBe('Safe text');
    expect(htmlToText('<SCRIPT type="text/javascript">x()</SCRIPT>Shown')).toBe('Shown');
  });

  it('removes every tag, attributes and event handlers included, and never leaves markup', () => {
    const out = htmlToText('<a href="javascript:alert(1)" onclick="steal()">Click</a> <img src=x onerror=alert(1)> <div title="a>b">inside</div>');
    expect(out).toBe('Click\n\ninside');
    expect(out).not.toMatch(/<|onerror|javascript/);
    expect(htmlToText('<<b>script>alert(1)<</b>/script>')).toBe('alert(1)');
    expect(htmlToText('<<<<<<<<<b>b>b>b>b>b>b>b>b>end')).not.toMatch(/<[a-z]/i);
  });

  it('decodes entities once, so encoded markup stays text', () => {
    expect(htmlToText('Caf&eacute; &amp; tea &ndash; ages&nbsp;18+ &#163;2 &#x20AC;3')).toBe('Café & tea – ages 18+ £2 €3');
    expect(htmlToText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>');
    expect(htmlToText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
    expect(htmlToText('Unknown &bogus; stays, &#0; goes')).toBe('Unknown &bogus; stays, goes');
  });

  it('leaves a lone "<" that is not a tag, and tidies whitespace', () => {
    expect(htmlToText('Ages < 18 and > 65')).toBe('Ages < 18 and > 65');
    expect(htmlToText('  lots   of \t space  \r\n\r\n\r\n\r\n next  ')).toBe('lots of space\n\nnext');
    expect(htmlToLine('<p>One</p><p>Two</p>\nThree')).toBe('One Two Three');
    expect(htmlToText('Plain text &amp; an entity\nkeeps its lines')).toBe('Plain text & an entity\nkeeps its lines');
    const hostile = '<a title="'.repeat(20_000);
    const started = Date.now();
    expect(htmlToText(hostile)).not.toContain('title');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('field cleaners', () => {
  it('treats empty and whitespace-only values as absent, and trims and collapses text', () => {
    const c = new FieldCleaner('x');
    expect(c.line('')).toBeNull();
    expect(c.line('   ')).toBeNull();
    expect(c.line(null)).toBeNull();
    expect(c.line({ nested: true })).toBeNull();
    expect(c.line('  Art   Club  ')).toBe('Art Club');
    expect(c.line(42)).toBe('42');
    expect(c.warnings).toEqual([]);
  });

  it('drops invalid email addresses and web addresses with a warning naming the field, not the value', () => {
    const c = new FieldCleaner('svc-1');
    expect(c.email('mailto:team@example.org', 'email')).toBe('team@example.org');
    expect(c.email('team at example dot org', 'email')).toBeNull();
    expect(c.url('www.example.org/path', 'url')).toBe('https://www.example.org/path');
    expect(c.url('javascript:alert(1)', 'url')).toBeNull();
    expect(c.url('not a url', 'website')).toBeNull();
    expect(c.warnings.map((w) => w.field)).toEqual(['email', 'url', 'website']);
    expect(JSON.stringify(c.warnings)).not.toContain('team at example');
    expect(c.warnings.every((w) => w.sourceId === 'svc-1')).toBe(true);
  });

  it('reads dates, times and weekdays in the forms feeds use', () => {
    const c = new FieldCleaner(null);
    expect(c.date('2026-09-01T10:00:00Z', 'd')).toBe('2026-09-01');
    expect(c.date('01/09/2026', 'd')).toBe('2026-09-01');
    expect(c.date('2026-02-30', 'd')).toBeNull();
    expect(c.time('9:30', 't')).toBe('09:30:00');
    expect(c.time('6pm', 't')).toBe('18:00:00');
    expect(c.time('8.30pm', 't')).toBe('20:30:00');
    expect(c.time('12am', 't')).toBe('00:00:00');
    expect(c.time('10:00:00Z', 't')).toBe('10:00:00');
    expect(c.time('25:00', 't')).toBeNull();
    expect(c.time('1000', 't')).toBeNull();
    expect(c.days('Thursday, monday', 'b')).toBe('MO,TH');
    expect(c.days('WE,MO', 'b')).toBe('MO,WE');
    expect(c.days('1MO', 'b')).toBe('1MO');
    expect(c.days('Someday', 'b')).toBeNull();
    expect(c.warnings).toHaveLength(4);
  });

  it('maps status to the ORUK list, countries to codes and postcodes to the usual form', () => {
    const c = new FieldCleaner(null);
    expect(c.choice('Active ', 'status', ['active', 'inactive'] as const, 'active')).toBe('active');
    expect(c.warnings).toHaveLength(0);
    expect(c.choice('open', 'status', ['active', 'inactive'] as const, 'active')).toBe('active');
    expect(c.warnings[0]!.message).toContain('"active" was used');
    expect(c.country('England')).toBe('GB');
    expect(c.country('us')).toBe('US');
    expect(c.postcode(' se1 9jz ')).toBe('SE1 9JZ');
    expect(c.postcode('sw1a1aa')).toBe('SW1A 1AA');
    expect(c.number('£3.50', 'amount')).toBe(3.5);
    expect(c.number('lots', 'amount')).toBeNull();
  });
});

describe('ids', () => {
  it('computes RFC 9562 version 5 UUIDs', () => {
    // The RFC's example: "www.example.com" in the DNS namespace.
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('keeps UUIDs, and maps other ids stably per source and kind', () => {
    const a = new IdMapper('https://council.example.org/api/services');
    const b = new IdMapper('https://other.example.org/api/services');
    expect(a.map('service', 'AC148810-D857-441C-9679-408F346DE14B')).toBe('ac148810-d857-441c-9679-408f346de14b');
    expect(a.map('service', '123')).toBe(new IdMapper('https://council.example.org/api/services').map('service', 123));
    expect(a.map('service', '123')).not.toBe(b.map('service', '123'));
    expect(a.map('service', '123')).not.toBe(a.map('location', '123'));
    expect(a.map('service', '  ')).toBeNull();
    expect(a.child('schedule', undefined, 'parent', 0)).toBe(a.child('schedule', undefined, 'parent', 0));
    expect(a.child('schedule', undefined, 'parent', 0)).not.toBe(a.child('schedule', undefined, 'parent', 1));
  });
});

describe('progress on a terminal', () => {
  const progress = { processed: 1500, expected: 10000, page: 2, totalPages: 4, created: 1400, updated: 50, unchanged: 40, rejected: 10 };

  it('rewrites one line in place on a terminal, at most ten times a second, and clears it', () => {
    const written: string[] = [];
    let now = 0;
    const line = terminalProgress({ isTTY: true, columns: 200, write: (t) => written.push(t) }, () => now);
    line.update(progress);
    line.update(progress); // too soon
    now = 150;
    line.update({ ...progress, processed: 1600 });
    line.done();
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\r\x1b\[2KImporting: 1,500 of 10,000 records \(page 2 of 4\): 1400 created/);
    expect(written[2]).toBe('\r\x1b[2K');
    expect(describeProgress(progress)).not.toContain('\n');
  });

  it('writes nothing when the output is not a terminal', () => {
    const written: string[] = [];
    const line = terminalProgress({ isTTY: false, write: (t) => written.push(t) });
    line.update(progress);
    line.done();
    expect(written).toEqual([]);
  });
});
