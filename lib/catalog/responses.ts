/** Which response each launch detection gets: checked against the catalog alike by LaunchWatch and `mining-guard replay`. */
import { LAUNCH_DETECTIONS } from './launches';
import type { Response } from './types';

/** The response per launch detection id; NOTIFY where absent. */
export type LaunchResponses = Readonly<Partial<Record<typeof LAUNCH_DETECTIONS[number]['id'], Response>>>;

/** A response the catalog does not allow: the message says what to write instead. */
export class ResponseError extends Error {
  public readonly name = 'ResponseError';
}

/** The responses given, checked: each id must be a launch detection, and each response one that detection allows. */
export function resolveResponses(given: unknown = {}): LaunchResponses {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new ResponseError('responses must be an object of detection id to response, e.g. {"ec2-instance-launch": "STOP"}.');
  }
  for (const [id, response] of Object.entries(given)) {
    const detection = LAUNCH_DETECTIONS.find((d) => d.id === id);
    if (!detection) {
      throw new ResponseError(`responses names '${id}', which is not a launch detection. Launch detections: ${LAUNCH_DETECTIONS.map((d) => d.id).join(', ')}.`);
    }
    if (!(detection.responses as readonly unknown[]).includes(response)) {
      throw new ResponseError(`responses: '${id}' allows ${detection.responses.join(', ')}, not ${String(response)}.`);
    }
  }
  return given as LaunchResponses;
}
