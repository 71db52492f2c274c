import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/manifest/json.js';

describe('parseJson', () => {
  it('parses exactly what JSON.parse parses', () => {
    for (const text of ['{}', '[]', '0', '-1.5e+3', '"a\\u00e9\\n\\"b\\\\"', 'true', 'null', ' { "a" : [ 1 , { "b" : null } ] , "c" : "d" } ', '{"__proto__": {"x": 1}}']) {
      const result = parseJson(text);
      expect(result, text).toEqual({ ok: true, value: JSON.parse(text), duplicates: [] });
    }
  });

  it('rejects what JSON.parse rejects, with a location', () => {
    for (const text of ['{', '{"a":}', '[1,]', '01', '"\\x"', '"a\nb"', '{"a":1}}', 'NaN', "{'a':1}", '-', '1.', '{"a" 1}']) {
      const result = parseJson(text);
      expect(() => JSON.parse(text), text).toThrow();
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.error.line, text).toBeGreaterThanOrEqual(1);
    }
  });

  it('finds duplicate keys at any depth, with their paths and places', () => {
    const result = parseJson('{\n "a": 1,\n "b": [{ "c": 1, "c": 2 }],\n "a": 3\n}');
    expect(result).toEqual({
      ok: true,
      value: { a: 3, b: [{ c: 2 }] },
      duplicates: [
        { path: ['b', 0, 'c'], line: 3, column: 18 },
        { path: ['a'], line: 4, column: 2 },
      ],
    });
  });

  it('counts columns from 1 and lines across CRLF', () => {
    const result = parseJson('{\r\n  "a": 1,\r\n  }');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line: 3, column: 3 });
  });
});
