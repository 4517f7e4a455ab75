import { describe, expect, it } from 'vitest';
import { benchOutputErrors } from './lib.js';

describe('the bench output schema', () => {
  const output = {
    machine: { cores: 2, memoryGb: 23.5, node: 'v20.20.2', postgres: '17 (embedded)' },
    scale: 1000,
    results: [
      { id: 'P5', metric: 'city load', value: 12_000, baseline: null, ratio: null, unit: 'rows/s' },
    ],
  };

  it('accepts a conforming results object', () => {
    expect(benchOutputErrors(output)).toEqual([]);
  });

  it('names what does not conform', () => {
    const result = output.results[0];
    expect(benchOutputErrors({ ...output, results: [{ ...result, id: 'P9' }] })[0]).toMatch(
      /^\/results\/0\/id/,
    );
    expect(benchOutputErrors({ ...output, results: [{ ...result, value: 'fast' }] })[0]).toMatch(
      /^\/results\/0\/value/,
    );
    expect(benchOutputErrors({ ...output, machine: { cores: 2 } })[0]).toMatch(/^\/machine/);
    expect(benchOutputErrors({ ...output, results: [] })).not.toEqual([]);
  });
});
