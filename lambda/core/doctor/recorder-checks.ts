/** Judges the AWS Config recorder, which the guard's Config rules need to see any resource. */
import { Check, fail, pass } from './check';

/** A recorder status as AWS Config DescribeConfigurationRecorderStatus returns it. */
export interface RecorderStatus {
  readonly name?: string;
  readonly recording?: boolean;
  readonly lastStatus?: string;
  readonly lastErrorMessage?: string;
}

/** The recorder's check: some recorder is recording, and its last delivery did not fail. */
export function judgeConfigRecorder(statuses: readonly RecorderStatus[]): Check {
  const name = 'Config recorder';
  const recording = statuses.filter((s) => s.recording === true);
  if (recording.length === 0) {
    return fail(name, statuses.length === 0 ? 'no recorder in the region: the guard\'s Config rules see nothing'
      : `${statuses.map((s) => String(s.name)).join(', ')} not recording: the guard's Config rules see nothing`,
    statuses.length === 0 ? 'deploy the guard with compliance: { recorder: true }, or set up AWS Config in the region'
      : `aws configservice start-configuration-recorder --configuration-recorder-name ${String(statuses[0].name)}`);
  }
  const failed = recording.find((s) => s.lastStatus === 'FAILURE');
  return failed
    ? fail(name, `${String(failed.name)} recording, its last recording failed: ${String(failed.lastErrorMessage ?? '').slice(0, 200)}`,
      'check the recorder\'s role and delivery channel (aws configservice describe-delivery-channel-status)')
    : pass(name, `${recording.map((s) => String(s.name)).join(', ')} recording`);
}
