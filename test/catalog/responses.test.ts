import { LAUNCH_DETECTIONS, resolveResponses, ResponseError } from '../../lib/catalog';

const LAUNCH_IDS = 'ec2-instance-launch, ec2-fleet-request, ec2-launch-template-change, ec2-instance-protection, autoscaling-capacity-change, '
  + 'ecs-task-launch, batch-compute-environment-change, sagemaker-compute-launch, service-quota-increase';

describe('resolveResponses', () => {
  test('accepts every response each launch detection allows, and gives them back as they are', () => {
    for (const d of LAUNCH_DETECTIONS) {
      for (const response of d.responses) {
        const given = { [d.id]: response };
        expect(resolveResponses(given)).toBe(given);
      }
    }
  });

  test('accepts several detections at once, and nothing at all', () => {
    const given = { 'ec2-instance-launch': 'QUARANTINE', 'ecs-task-launch': 'STOP', 'service-quota-increase': 'NOTIFY' };
    expect(resolveResponses(given)).toEqual(given);
    expect(resolveResponses()).toEqual({});
    expect(resolveResponses({})).toEqual({});
  });

  test('the message lists every launch detection', () => {
    expect(LAUNCH_DETECTIONS.map((d) => d.id).join(', ')).toBe(LAUNCH_IDS);
  });

  test('refuses an id that is not a launch detection, listing the ones that are', () => {
    expect(() => resolveResponses({ 'guardduty-cryptocurrency': 'STOP' })).toThrow(new ResponseError(
      `responses names 'guardduty-cryptocurrency', which is not a launch detection. Launch detections: ${LAUNCH_IDS}.`,
    ));
    expect(() => resolveResponses({ 'ec2-instance-lunch': 'STOP' })).toThrow(
      `responses names 'ec2-instance-lunch', which is not a launch detection. Launch detections: ${LAUNCH_IDS}.`,
    );
  });

  test.each([
    ['ec2-fleet-request', 'QUARANTINE', 'NOTIFY, STOP'],
    ['ec2-launch-template-change', 'STOP', 'NOTIFY'],
    ['ec2-instance-launch', 'TERMINATE', 'NOTIFY, STOP, QUARANTINE'],
    ['ec2-instance-launch', 'stop', 'NOTIFY, STOP, QUARANTINE'],
  ])('refuses a response %s does not allow (%s), naming the ones it does', (id, response, allowed) => {
    expect(() => resolveResponses({ [id]: response })).toThrow(`responses: '${id}' allows ${allowed}, not ${response}.`);
  });

  test('refuses a response that is not a string, as it was written', () => {
    expect(() => resolveResponses({ 'ec2-instance-launch': true })).toThrow(
      'responses: \'ec2-instance-launch\' allows NOTIFY, STOP, QUARANTINE, not true.',
    );
  });

  test.each([null, [], 'STOP', 3])('refuses %j, which is not an object', (given) => {
    const error = (() => {
      try {
        resolveResponses(given);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as Error).message).toBe('responses must be an object of detection id to response, e.g. {"ec2-instance-launch": "STOP"}.');
    expect((error as Error).name).toBe('ResponseError');
  });
});
