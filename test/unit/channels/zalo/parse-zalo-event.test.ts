import { describe, expect, it } from 'vitest';
import { parseJsonKeepingNumbers } from '../../../../src/channels/zalo/parse-json-keeping-numbers.js';
import { parseZaloEvent } from '../../../../src/channels/zalo/parse-zalo-event.js';

describe('parseJsonKeepingNumbers', () => {
  it('parses JSON like JSON.parse, with every number as its source text', () => {
    const text = '{"a":[1,-2.5,3e2,true,false,null],"s":"x\\"y\\u0110\\n","o":{},"e":[]}';
    expect(parseJsonKeepingNumbers(text)).toEqual({ a: ['1', '-2.5', '3e2', true, false, null], s: 'x"yĐ\n', o: {}, e: [] });
  });

  it('keeps integers beyond 2^53 exactly', () => {
    const big = '9007199254740993123';
    expect(JSON.parse(`{"id":${big}}`).id.toString()).not.toBe(big);
    expect(parseJsonKeepingNumbers(`{"id":${big}}`)).toEqual({ id: big });
  });

  it.each(['', '{', '{"a":}', '{"a":1,}', '[1 2]', '{"a":1} x', '"\u0001"', '01', 'nul', '{a:1}'])('rejects %j', (bad) => {
    expect(() => parseJsonKeepingNumbers(bad)).toThrow(SyntaxError);
  });

  it('keeps a "__proto__" key as data', () => {
    const v = parseJsonKeepingNumbers('{"__proto__":{"polluted":"yes"}}') as Record<string, unknown>;
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses absurd nesting', () => {
    expect(() => parseJsonKeepingNumbers('['.repeat(1000) + ']'.repeat(1000))).toThrow(SyntaxError);
  });
});

describe('parseZaloEvent', () => {
  it('reads a user_send_text event with ids as strings', () => {
    const raw =
      '{"app_id":"360846524940903967","sender":{"id":"246845883529197922"},"user_id_by_app":"552177279717587730",' +
      '"recipient":{"id":"388613280878808645"},"event_name":"user_send_text","message":{"text":"dang ky khai sinh","msg_id":"96d3cdf3af150460909"},"timestamp":"1543908534740"}';
    expect(parseZaloEvent(raw)).toEqual({
      eventName: 'user_send_text',
      appId: '360846524940903967',
      timestamp: '1543908534740',
      userId: '246845883529197922',
      msgId: '96d3cdf3af150460909',
      text: 'dang ky khai sinh',
    });
  });

  it('keeps ids sent as unquoted numbers beyond 2^53 digit for digit', () => {
    const raw = '{"app_id":3608465249409039671,"sender":{"id":2468458835291979221},"event_name":"user_send_text","message":{"text":"hi","msg_id":12345678901234567890},"timestamp":1543908534740}';
    const e = parseZaloEvent(raw);
    expect(e.userId).toBe('2468458835291979221');
    expect(e.msgId).toBe('12345678901234567890');
    expect(e.appId).toBe('3608465249409039671');
    expect(e.timestamp).toBe('1543908534740');
  });

  it('reads the follower of a follow event', () => {
    const e = parseZaloEvent('{"oa_id":"1","follower":{"id":"777"},"event_name":"follow","app_id":"2","timestamp":"3"}');
    expect(e).toMatchObject({ eventName: 'follow', userId: '777', msgId: null, text: null });
  });

  it('rejects a body that is not a JSON object', () => {
    expect(() => parseZaloEvent('[1]')).toThrow(SyntaxError);
    expect(() => parseZaloEvent('not json')).toThrow(SyntaxError);
  });
});
