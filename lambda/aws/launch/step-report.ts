/** What one containment step reports: how many resources it covered, each one it could not contain and why, and notes. */

/** A resource a step did not contain, and why. */
export interface ItemResult {
  readonly id: string;
  readonly reason: string;
}

/** The report of one step. */
export interface StepReport {
  /** How many resources the step acted on: instances, requests, groups. */
  readonly count: number;
  /** Resources containment failed on, each with AWS's reason. */
  readonly failed: readonly ItemResult[];
  /** Resources that needed nothing: already terminated. */
  readonly gone: readonly ItemResult[];
  /** Resources EC2 does not know: never created in this region, or terminated long ago. */
  readonly unknown: readonly ItemResult[];
  /** What a person should know although the step worked: a tag that failed, a squatted group ignored. */
  readonly notes: readonly string[];
  /** The step's own resource (a fleet, a group) failed, not only some of its instances: the whole step is worth another try. */
  readonly retryStep?: boolean;
}

/** A step that acted on one resource and had nothing more to say. */
export const ONE_DONE: StepReport = { count: 1, failed: [], gone: [], unknown: [], notes: [] };

/** Two reports of one step as one: the fleet's own and its instances'. */
export function joinReports(a: StepReport, b: StepReport): StepReport {
  return {
    count: a.count + b.count,
    failed: [...a.failed, ...b.failed],
    gone: [...a.gone, ...b.gone],
    unknown: [...a.unknown, ...b.unknown],
    notes: [...a.notes, ...b.notes],
    retryStep: Boolean(a.retryStep || b.retryStep),
  };
}

/** A step on one resource that failed. */
export function oneFailed(id: string, reason: string): StepReport {
  return { count: 1, failed: [{ id, reason }], gone: [], unknown: [], notes: [], retryStep: true };
}
