import { EMF_MAX_VALUES, emfLine } from '../../../lib/gateway/telemetry/emf';

describe('emfLine', () => {
  test('GIVEN dimensions and metrics WHEN written THEN one JSON line with the EMF directive and the values as top-level members', () => {
    const line = emfLine({
      namespace: 'McpFleet',
      dimensionSets: [['Fleet', 'Pool']],
      dimensions: { Fleet: 'agents', Pool: 'github' },
      metrics: { Calls: { unit: 'Count', value: 2 }, Latency: { unit: 'Milliseconds', value: [1.5, 3] } },
      timestamp: 1_700_000_000_000,
    });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'McpFleet',
            Dimensions: [['Fleet', 'Pool']],
            Metrics: [
              { Name: 'Calls', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      Fleet: 'agents',
      Pool: 'github',
      Calls: 2,
      Latency: [1.5, 3],
    });
  });

  test('GIVEN a dimension without a value WHEN written THEN it throws naming the dimension', () => {
    expect(() => emfLine({ namespace: 'McpFleet', dimensionSets: [['Fleet', 'Tool']], dimensions: { Fleet: 'agents' }, metrics: { Calls: { unit: 'Count', value: 1 } }, timestamp: 0 })).toThrow(
      'dimension "Tool" has no value',
    );
  });

  test('GIVEN more values than EMF allows (or none) WHEN written THEN it throws naming the metric', () => {
    const record = (value: number[]) => ({ namespace: 'McpFleet', dimensionSets: [], dimensions: {}, metrics: { Latency: { unit: 'Milliseconds' as const, value } }, timestamp: 0 });
    expect(() => emfLine(record(Array.from({ length: EMF_MAX_VALUES + 1 }, () => 1)))).toThrow('metric "Latency" has 101 values (1 to 100 allowed)');
    expect(() => emfLine(record([]))).toThrow('metric "Latency" has 0 values');
    expect(() => emfLine(record(Array.from({ length: EMF_MAX_VALUES }, () => 1)))).not.toThrow();
  });
});
