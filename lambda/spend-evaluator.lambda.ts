/** Spend evaluator handler: reads each budget, judges how fast it is spent, alerts on acceleration, remembers what it saw. */
import { Logger } from '@aws-lambda-powertools/logger';
import { describeBudget, describePerformanceHistory } from './aws/budgets';
import { publishAlert } from './aws/publish-alert';
import { loadSpendState, saveSpendState } from './aws/spend-state-parameter';
import { toAlertMessage } from './core/render-alert';
import { evaluateSpend, SpendSettings, SpendVerdict } from './core/spend/evaluate-spend';
import { spendAlert } from './core/spend/spend-alert';
import { budgetFiguresOf, monthOf, pastPeriodsOf } from './core/spend/spend-figures';
import { parseSpendState, SeenFigures, serializeSpendState } from './core/spend/spend-state';

const logger = new Logger({ serviceName: 'mining-guard-spend-evaluator' });

/** How many past months the baseline averages. */
const HISTORY_MONTHS = 3;

/** What one run did, per budget. */
export interface SpendRun {
  readonly evaluated: ReadonlyArray<{ budget: string; verdict: SpendVerdict; messageId?: string }>;
  readonly failed: ReadonlyArray<{ budget: string; error: string }>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the spend evaluator's construct sets it`);
  return value;
}

function positiveNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export const handler = async (): Promise<SpendRun> => {
  const topicArn = required('ALERT_TOPIC_ARN');
  const accountId = required('ACCOUNT_ID');
  const parameterName = required('STATE_PARAMETER_NAME');
  const budgetNames = required('BUDGET_NAMES').split(',').map((n) => n.trim()).filter(Boolean);
  const settings: SpendSettings = {
    accelerationFactor: positiveNumber('ACCELERATION_FACTOR', 3),
    minimumIncreaseUsd: positiveNumber('MINIMUM_INCREASE_USD', 5),
  };
  const now = new Date();
  const month = monthOf(now);
  const historyStart = new Date(Date.UTC(month.start.getUTCFullYear(), month.start.getUTCMonth() - HISTORY_MONTHS, 1));

  const storedText = await loadSpendState(parameterName);
  const state = parseSpendState(storedText);
  const next: Record<string, SeenFigures> = { ...state };
  const evaluated: Array<{ budget: string; verdict: SpendVerdict; messageId?: string }> = [];
  const failed: Array<{ budget: string; error: string }> = [];

  for (const name of budgetNames) {
    try {
      const budget = budgetFiguresOf(await describeBudget(accountId, name));
      const history = pastPeriodsOf(await describePerformanceHistory(accountId, name, historyStart, month.start), month.start);
      const evaluation = evaluateSpend({ now, budget, history, last: state[name], settings });
      let messageId: string | undefined;
      if (evaluation.verdict === 'accelerating') {
        const alert = spendAlert(evaluation, { account: accountId, partition: topicArn.split(':')[1] ?? 'aws' });
        messageId = await publishAlert(topicArn, toAlertMessage(alert));
      }
      // Remembered only once any alert is out: a failed publish is retried on the next run, not forgotten.
      next[name] = evaluation.next;
      evaluated.push({ budget: name, verdict: evaluation.verdict, messageId });
      logger.info('Budget evaluated', {
        budget: name,
        verdict: evaluation.verdict,
        reason: evaluation.reason,
        burnUsdPerHour: evaluation.burnUsdPerHour,
        baselineUsdPerHour: evaluation.baselineUsdPerHour,
        projectedMonthEndUsd: evaluation.projectedMonthEndUsd,
        historyPeriods: evaluation.historyPeriods,
        messageId,
      });
    } catch (error) {
      const e = error as Error;
      failed.push({ budget: name, error: `${e.name}: ${e.message}` });
      logger.error('Budget not evaluated', { budget: name, error: e });
    }
  }

  const nextText = serializeSpendState(next);
  if (nextText !== serializeSpendState(state) || storedText === undefined) await saveSpendState(parameterName, nextText);

  if (failed.length > 0) {
    // Failing the invocation counts in the function's Errors metric, whose alarm tells a person the guard is blind.
    throw new Error(`The spend evaluator could not judge ${failed.length} of ${budgetNames.length} budget(s): ${failed.map((f) => `${f.budget} (${f.error})`).join('; ')}`);
  }
  return { evaluated, failed };
};
