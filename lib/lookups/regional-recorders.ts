/** The regions of the regional part whose Config recorder exists already, as the lookups found them. */
import { Construct } from 'constructs';
import { lookUpSingleton, looksUp, reportLookup } from './account-singletons';
import type { RegionalPlan } from '../regions/regional-settings';

/**
 * The plan with `existingRecorderRegions` answered by a lookup in each region, when the regional part has Config
 * rules and nobody said what to do with the recorder: a region with a recorder adopts it (its StackSet instance gets
 * `CreateRecorder=false`), one without gets a recorder created.
 */
export function withLookedUpRecorders(scope: Construct, plan: RegionalPlan, options: {
  /** Whether the regional part has Config rules with a recorder, and `compliance.recorder` was left to the lookups. */
  readonly lookedUp: boolean;
}): RegionalPlan {
  if (!options.lookedUp || !looksUp(scope) || plan.regions.length === 0) return plan;
  const answers = plan.regions.map((region) => ({ region, answer: lookUpSingleton(scope, 'recorder', { region }) }));
  if (answers.some((a) => a.answer.state === 'pending')) return plan;
  const found = answers.filter((a) => a.answer.state === 'found').map((a) => a.region);
  const created = plan.regions.filter((r) => !found.includes(r));
  reportLookup(scope, [
    found.length > 0 ? `found configuration recorders in ${found.join(', ')}: adopted there (never changed or deleted).` : '',
    created.length > 0 ? `No recorder in ${created.join(', ')}: one is created in each, with its delivery channel, and kept when the stack is deleted.` : '',
  ].filter(Boolean).join(' '));
  return { ...plan, existingRecorderRegions: found };
}
