import { describe, expect, it } from 'vitest';
import { parseTwiml, textOf } from '../../../../src/telephony/turn/parse-twiml.js';

describe('parseTwiml', () => {
  it('reads the declaration, nesting, self-closing verbs, both quote styles and entities', () => {
    const root = parseTwiml(
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><Response><Gather input="speech dtmf" hints='a, b'><Say language="vi-VN">Phí &lt;5&gt; &amp; &quot;x&quot; &#273;&#x111;</Say></Gather><Hangup/></Response>`,
    );
    expect(root.name).toBe('Response');
    expect(root.children).toEqual([
      {
        name: 'Gather',
        attrs: { input: 'speech dtmf', hints: 'a, b' },
        children: [{ name: 'Say', attrs: { language: 'vi-VN' }, children: ['Phí <5> & "x" đđ'] }],
      },
      { name: 'Hangup', attrs: {}, children: [] },
    ]);
    expect(textOf(root)).toBe('Phí <5> & "x" đđ');
  });

  it('throws on malformed TwiML instead of guessing', () => {
    expect(() => parseTwiml('<Response><Say>x</Response>')).toThrow(/closes/);
    expect(() => parseTwiml('<Response><Say>x')).toThrow(/unclosed/);
    expect(() => parseTwiml('<Response a=1/>')).toThrow(/quoted/);
    expect(() => parseTwiml('<Response>&nbsp;</Response>')).toThrow(/entity/);
    expect(() => parseTwiml('<Response/><Extra/>')).toThrow(/after the root/);
  });
});
