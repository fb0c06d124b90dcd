import { MAX_JSON_DEPTH, parseBody } from '../../../lib/gateway/protocol/jsonrpc';

/** `depth` nested arrays/objects, alternating, around `inner`. */
function nested(depth: number, inner = '1'): string {
  let text = inner;
  for (let i = 0; i < depth; i++) text = i % 2 === 0 ? `[${text}]` : `{"__proto__":${text}}`;
  return text;
}

describe('request body nesting limit', () => {
  it(`GIVEN a body nested exactly ${MAX_JSON_DEPTH} levels WHEN parsed THEN accepted; one level more THEN 400 -32600`, () => {
    expect(() => parseBody(nested(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseBody(nested(MAX_JSON_DEPTH + 1))).toThrow(expect.objectContaining({ status: 400, code: -32600, message: expect.stringContaining(`deeper than ${MAX_JSON_DEPTH} levels`) }));
  });

  it('GIVEN deep nesting in one member among shallow ones WHEN parsed THEN refused', () => {
    expect(() => parseBody(`{"a":1,"b":[2,3],"c":${nested(MAX_JSON_DEPTH)}}`)).toThrow(expect.objectContaining({ code: -32600 }));
  });

  it('GIVEN brackets inside strings WHEN parsed THEN they are data, not nesting', () => {
    expect(parseBody(JSON.stringify({ text: '['.repeat(1000) + '{'.repeat(1000) }))).toEqual({ text: '['.repeat(1000) + '{'.repeat(1000) });
  });

  it('GIVEN bad JSON WHEN parsed THEN 400 -32700', () => {
    expect(() => parseBody('{')).toThrow(expect.objectContaining({ status: 400, code: -32700 }));
  });
});
