import { SseDecoder, parseSse, writeSse } from '../../../lib/gateway/protocol/sse';

describe('SSE decoding', () => {
  const body = 'event: message\r\nid: 7\r\ndata: {"a":1}\r\n\r\n: a comment\n\ndata: line 1\ndata: line 2\n\n';

  it('GIVEN a stream cut at every possible place WHEN fed chunk by chunk THEN the same events as the whole body, each as soon as its blank line arrives', () => {
    const whole = parseSse(body);
    expect(whole).toEqual([{ event: 'message', id: '7', data: '{"a":1}' }, { data: 'line 1\nline 2' }]);
    for (let cut = 1; cut < body.length; cut++) {
      const decoder = new SseDecoder();
      const events = [...decoder.push(body.slice(0, cut)), ...decoder.push(body.slice(cut)), ...decoder.end()];
      expect(events).toEqual(whole);
    }
    const decoder = new SseDecoder();
    expect(decoder.push('data: x\n')).toEqual([]);
    expect(decoder.push('\n')).toEqual([{ data: 'x' }]);
  });

  it('GIVEN events WHEN written and parsed again THEN they round-trip', () => {
    const events = [{ event: 'message', id: 'desk:1', data: 'a\nb' }, { data: '{}' }];
    expect(parseSse(writeSse(events))).toEqual(events);
  });
});
