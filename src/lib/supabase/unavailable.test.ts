import { describe, expect, it } from 'vitest';
import { isUnavailableStatus } from './unavailable';

describe('isUnavailableStatus', () => {
  it('counts no answer and the gateway and database outage statuses', () => {
    expect([0, 502, 503, 504].map(isUnavailableStatus)).toEqual([true, true, true, true]);
  });

  it('leaves refusals and the app’s own errors to their own messages', () => {
    expect([200, 201, 204, 400, 401, 403, 404, 409, 500].map(isUnavailableStatus)).toEqual([false, false, false, false, false, false, false, false, false]);
  });
});
