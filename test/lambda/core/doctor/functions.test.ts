import { judgeDeadLetterQueue, judgeFunctionErrors } from '../../../../lambda/core/doctor/functions';

describe('judgeFunctionErrors', () => {
  test('no error over the window passes; errors fail, summed over the data points', () => {
    expect(judgeFunctionErrors('n', []).status).toBe('PASS');
    expect(judgeFunctionErrors('n', [0, 0]).status).toBe('PASS');
    expect(judgeFunctionErrors('n', [2, 1])).toMatchObject({ status: 'FAIL', detail: '3 errors in the last 24 h', fix: expect.stringContaining('/aws/lambda/n') });
  });
});

describe('judgeDeadLetterQueue', () => {
  test('an empty queue passes; a non-empty one fails; a missing count fails', () => {
    // GIVEN GetQueueAttributes's documented shape: the count as a string
    expect(judgeDeadLetterQueue('q', '0').status).toBe('PASS');
    expect(judgeDeadLetterQueue('q', '4')).toMatchObject({ status: 'FAIL', detail: expect.stringMatching(/^4 messages/) });
    expect(judgeDeadLetterQueue('q', undefined).status).toBe('FAIL');
    expect(judgeDeadLetterQueue('q', 7).status).toBe('FAIL');
  });
});
