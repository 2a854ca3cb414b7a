import { judgeConfigRecorder } from '../../../../lambda/core/doctor/recorder-checks';

describe('judgeConfigRecorder', () => {
  test('a recording recorder passes', () => {
    expect(judgeConfigRecorder([{ name: 'default', recording: true, lastStatus: 'SUCCESS' }]).status).toBe('PASS');
  });

  test('no recorder, a stopped one, and a failing one fail', () => {
    expect(judgeConfigRecorder([]).fix).toContain('recorder');
    expect(judgeConfigRecorder([{ name: 'default', recording: false }]).fix).toBe('aws configservice start-configuration-recorder --configuration-recorder-name default');
    expect(judgeConfigRecorder([{ name: 'default', recording: true, lastStatus: 'FAILURE', lastErrorMessage: 'role' }]).status).toBe('FAIL');
  });
});
