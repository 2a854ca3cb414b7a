/** Turns an accelerating-spend evaluation into an alert that states the burn rate and the projected month-end. */
import type { SpendEvaluation } from './evaluate-spend';
import { detection as catalogDetection } from '../../../lib/catalog';
import type { Alert } from '../alerts/alert';
import { textLines } from '../alerts/alert-text';
import { consoleOrigin } from '../alerts/console-links';
import { times, usd } from '../alerts/money';

/** Where the evaluator runs, for the alert's links and location. */
export interface SpendContext {
  readonly account: string;
  readonly partition: string;
}

function hours(h: number): string {
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} days`;
}

/** The alert for an `accelerating` evaluation. */
export function spendAlert(evaluation: SpendEvaluation, context: SpendContext): Alert {
  const detection = catalogDetection('spend-acceleration');
  const { budget } = evaluation;
  const burn = evaluation.burnUsdPerHour ?? 0;
  const baseline = evaluation.baselineUsdPerHour;
  const ratio = baseline ? burn / baseline : undefined;
  const projected = evaluation.projectedMonthEndUsd ?? budget.actualUsd;
  const comparisons = [
    evaluation.monthPaceUsdPerHour !== undefined && `the month's pace so far (${usd(evaluation.monthPaceUsdPerHour)}/h, ${times(burn / Math.max(evaluation.monthPaceUsdPerHour, 0.01))})`,
    evaluation.historyUsdPerHour !== undefined && `the previous ${evaluation.historyPeriods} month(s)' average (${usd(evaluation.historyUsdPerHour)}/h, ${times(burn / Math.max(evaluation.historyUsdPerHour, 0.01))})`,
  ].filter(Boolean);
  const origin = consoleOrigin(context.partition, 'us-east-1');

  return {
    severity: detection.severity,
    detectionId: detection.id,
    title: detection.title,
    // The budget's name sits in the middle, where a long one is shortened first; the figures stay whole.
    headline: `Spend ${ratio !== undefined ? `${times(ratio)} faster` : 'accelerating'} on ${budget.name}: ${usd(burn)}/h, month-end ~${usd(projected)}`,
    what: textLines([
      `Budget "${budget.name}": actual spend rose by ${usd(evaluation.increaseUsd ?? 0)} to ${usd(budget.actualUsd)} in ${hours(evaluation.measuredHours ?? 0)}: a burn rate of ${usd(burn)}/h.`,
      comparisons.length > 0 ? `That is faster than ${comparisons.join(' and ')}.` : undefined,
      `At this rate the month ends at about ${usd(projected)}${budget.forecastUsd !== undefined ? ` (AWS Budgets' own forecast: ${usd(budget.forecastUsd)})` : ''}${budget.limitUsd !== undefined ? `, against a budget of ${usd(budget.limitUsd)}` : ''}.`,
      evaluation.hoursToLimit !== undefined ? `The budget is reached in about ${hours(evaluation.hoursToLimit)}.` : undefined,
    ]),
    who: ['AWS Budgets does not say who spent: Cost Explorer shows which service, region and usage type.'],
    where: `Account ${context.account}, all regions`,
    why: detection.rationale,
    done: ['Notified this channel.'],
    next: detection.nextSteps,
    links: [
      { label: 'AWS Budgets', url: `${origin}/costmanagement/home#/budgets` },
      { label: 'Cost Explorer', url: `${origin}/costmanagement/home#/cost-explorer` },
    ],
    refs: { budget: budget.name, burnUsdPerHour: burn.toFixed(2), projectedMonthEndUsd: projected.toFixed(2) },
  };
}
