import { canonicalJson, decodeJob, encodeJob, JOB_FORMAT, JobFormatError, jobIdFor, queueUrlKind, QueueError, sqsEndpointOf } from '../../lib/worker';

const KEY = { principal: 'alice', pool: 'images', tool: 'image_resize', arguments: { width: 10, src: { url: 'a', fit: 'cover' } }, requestKey: 'req-1' };

describe('job ids', () => {
  test('GIVEN the same call with arguments in another key order WHEN ids are derived THEN they are equal', () => {
    expect(jobIdFor({ ...KEY, arguments: { src: { fit: 'cover', url: 'a' }, width: 10 } })).toBe(jobIdFor(KEY));
    expect(jobIdFor(KEY)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test.each([
    ['principal', { principal: 'bob' }],
    ['tool', { tool: 'image_crop' }],
    ['arguments', { arguments: { width: 11, src: { url: 'a', fit: 'cover' } } }],
    ['request key', { requestKey: 'req-2' }],
  ])('GIVEN another %s WHEN the id is derived THEN it differs', (_what, change) => {
    expect(jobIdFor({ ...KEY, ...change })).not.toBe(jobIdFor(KEY));
  });

  test('GIVEN nested values WHEN canonicalised THEN keys are sorted and undefined members dropped', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: undefined, a: null }], a: 'x' })).toBe('{"a":"x","b":[1,{"a":null,"d":1}]}');
  });
});

describe('job messages', () => {
  const job = { v: JOB_FORMAT, id: jobIdFor(KEY), pool: 'images', tool: 'image_resize', arguments: KEY.arguments, principal: 'alice', createdAt: 1 } as const;

  test('GIVEN a job WHEN encoded and decoded THEN it is unchanged', () => {
    expect(decodeJob(encodeJob(job))).toEqual(job);
  });

  test.each([
    ['not json', 'message body is not JSON'],
    ['{"v":2}', 'v: '],
    [JSON.stringify({ ...job, id: 'a b' }), 'id: '],
    [JSON.stringify({ ...job, arguments: [1] }), 'arguments: '],
  ])('GIVEN the body %s WHEN decoded THEN a JobFormatError names the problem', (body, message) => {
    expect(() => decodeJob(body)).toThrow(JobFormatError);
    expect(() => decodeJob(body)).toThrow(message);
  });
});

describe('queue URLs', () => {
  test('GIVEN broker and queue URLs WHEN classified THEN amqp and sqs; anything else is a QueueError', () => {
    expect(queueUrlKind('amqp://guest:guest@127.0.0.1:5672')).toBe('amqp');
    expect(queueUrlKind('amqps://b-1.mq.us-east-1.amazonaws.com:5671')).toBe('amqp');
    expect(queueUrlKind('https://sqs.eu-west-1.amazonaws.com/123456789012/jobs')).toBe('sqs');
    expect(() => queueUrlKind('redis://127.0.0.1:6379')).toThrow(QueueError);
    expect(() => queueUrlKind('nope')).toThrow('is not a URL');
  });

  test('GIVEN SQS queue URLs WHEN resolved THEN AWS hosts give the region and other hosts an emulator endpoint', () => {
    expect(sqsEndpointOf('https://sqs.eu-west-1.amazonaws.com/123456789012/jobs')).toEqual({ region: 'eu-west-1' });
    expect(sqsEndpointOf('http://127.0.0.1:5001/123456789012/jobs', 'us-west-2')).toEqual({ region: 'us-west-2', endpoint: 'http://127.0.0.1:5001' });
  });
});
