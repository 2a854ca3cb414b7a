/** Spend evaluator handler: reads each budget, judges how fast it is spent, alerts on acceleration, remembers what it saw. */
import { Logger } from '@aws-lambda-powertools/logger';
import { fromEnvironment, HANDLER_ENVIRONMENT, HandlerEnvironment, SERVICE_NAMES, SPEND_EVALUATOR_DEFAULTS } from '../lib/catalog';
import { alertMessage } from './aws/alerts/alert-message';
import { publishAlert } from './aws/alerts/publish-alert';
import { describeBudget, describePerformanceHistory } from './aws/spend/budgets-api';
import { loadSpendState, saveSpendState } from './aws/spend/spend-state-parameter';
import { evaluateSpend, SpendSettings, SpendVerdict } from './core/spend/evaluate-spend';
import { spendAlert } from './core/spend/spend-alert';
import { budgetFiguresOf, monthOf, pastPeriodsOf } from './core/spend/spend-figures';
import { emptySpendState, parseSpendState, SeenFigures, serializeSpendState } from './core/spend/spend-state';

const logger = new Logger({ serviceName: SERVICE_NAMES.spendEvaluator });

/** How many past months the baseline averages. */
const HISTORY_MONTHS = 3;

/** What one run did, per budget. */
export interface SpendRun {
  readonly evaluated: ReadonlyArray<{ budget: string; verdict: SpendVerdict; messageId?: string }>;
  readonly failed: ReadonlyArray<{ budget: string; error: string }>;
}

type SpendEnvironment = Partial<HandlerEnvironment<'spendEvaluator'>>;

function required(env: SpendEnvironment, key: keyof SpendEnvironment): string {
  const value = env[key];
  if (!value) throw new Error(`${HANDLER_ENVIRONMENT.spendEvaluator[key]} is not set: the spend evaluator's construct sets it`);
  return value;
}

function positiveNumber(text: string | undefined, fallback: number): number {
  const value = Number(text ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

export const handler = async (): Promise<SpendRun> => {
  const env = fromEnvironment('spendEvaluator', process.env);
  const topicArn = required(env, 'alertTopicArn');
  const accountId = required(env, 'accountId');
  const parameterName = required(env, 'stateParameterName');
  const budgetNames = required(env, 'budgetNames').split(',').map((n) => n.trim()).filter(Boolean);
  const settings: SpendSettings = {
    accelerationFactor: positiveNumber(env.accelerationFactor, SPEND_EVALUATOR_DEFAULTS.accelerationFactor),
    minimumIncreaseUsd: positiveNumber(env.minimumIncreaseUsd, SPEND_EVALUATOR_DEFAULTS.minimumIncreaseUsd),
  };
  const now = new Date();
  const month = monthOf(now);
  const historyStart = new Date(Date.UTC(month.start.getUTCFullYear(), month.start.getUTCMonth() - HISTORY_MONTHS, 1));

  const storedText = await loadSpendState(parameterName);
  const state = parseSpendState(storedText);
  const next: Record<string, SeenFigures> = Object.assign(emptySpendState(), state);
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
        messageId = await publishAlert(topicArn, alertMessage(alert));
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
      // The failure's name and message, not the error object: an SDK error carries the whole response with it.
      logger.error('Budget not evaluated', { budget: name, reason: `${e.name}: ${e.message}`.slice(0, 500) });
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
