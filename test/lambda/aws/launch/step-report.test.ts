import { joinReports, ONE_DONE, oneFailed } from '../../../../lambda/aws/launch/step-report';

describe('step reports', () => {
  test('one resource done has nothing to report', () => {
    expect(ONE_DONE).toEqual({ count: 1, failed: [], gone: [], unknown: [], notes: [] });
  });

  test('one resource failed asks for the step to be tried again', () => {
    expect(oneFailed('fleet-1', 'not deleted')).toEqual({ count: 1, failed: [{ id: 'fleet-1', reason: 'not deleted' }], gone: [], unknown: [], notes: [], retryStep: true });
  });

  test('two reports join into one that keeps everything either said', () => {
    // GIVEN
    const fleet = { ...oneFailed('fleet-1', 'not deleted'), notes: ['not tagged: fleet-1'] };
    const instances = { count: 3, failed: [], gone: [{ id: 'i-2', reason: 'already terminated' }], unknown: [{ id: 'i-3', reason: 'unknown' }], notes: [] };

    // WHEN
    const joined = joinReports(fleet, instances);

    // THEN
    expect(joined).toEqual({
      count: 4,
      failed: [{ id: 'fleet-1', reason: 'not deleted' }],
      gone: [{ id: 'i-2', reason: 'already terminated' }],
      unknown: [{ id: 'i-3', reason: 'unknown' }],
      notes: ['not tagged: fleet-1'],
      retryStep: true,
    });
    expect(joinReports(ONE_DONE, ONE_DONE).retryStep).toBe(false);
  });
});
