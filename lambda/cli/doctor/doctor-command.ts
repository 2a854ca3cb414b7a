/**
 * `mining-guard doctor [--stack NAME] [--region R] [--json] [--drill]`: checks the deployed guard in the live account,
 * one line per check with its fix, and with `--drill` sends a labelled alert down each path and times it.
 */
import { adoptedTopicChecks, doctorChecks } from '../../aws/doctor/doctor-checks';
import { DoctorClients, doctorClients } from '../../aws/doctor/doctor-clients';
import { runDrill } from '../../aws/doctor/drill';
import { findGuard, GuardNotFound } from '../../aws/doctor/find-guard';
import { regionalChecks } from '../../aws/doctor/regional-checks';
import { Check, DOCTOR_EXIT, exitStatusOf, formatCheck } from '../../core/doctor/check';

export const DOCTOR_USAGE = 'usage: mining-guard doctor [--stack NAME] [--region REGION] [--json] [--drill]\n'
  + '  Checks the MiningGuard deployed in the stack (by default the one stack of the region whose description names MiningGuard),\n'
  + '  with credentials from the AWS SDK\'s default chain. One line per check: PASS|FAIL|SKIP name — detail, and the fix under a FAIL.\n'
  + '  --json: one JSON object {"stack": ..., "checks": [{name, status, detail, fix}]} instead.\n'
  + '  --drill: also send a drill down each alert path (GuardDuty sample finding, alarm state, launch evaluator) and time it;\n'
  + '    every alert it causes says DRILL, nothing is contained, and what it creates is removed, even when interrupted.\n'
  + '  exit status: 0 every check passed; 1 a check failed; 2 wrong usage; 3 AWS or the stack could not be reached.';

/** Where the command writes, and what it talks to: the process's, or a test's. */
export interface DoctorIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The clients for the region; the SDK's by default. */
  readonly clients?: (region?: string) => DoctorClients;
  /** Aborted when the process is interrupted; the drill then cleans up and stops. */
  readonly signal?: AbortSignal;
  /** How long the drill waits for each alert, in milliseconds. */
  readonly drillTimeoutMs?: number;
}

interface DoctorOptions {
  stack?: string;
  region?: string;
  json: boolean;
  drill: boolean;
}

/** The options, or undefined when the usage is wrong. */
function optionsOf(args: readonly string[]): DoctorOptions | undefined {
  const options: DoctorOptions = { json: false, drill: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') {options.json = true;} else if (arg === '--drill') {options.drill = true;} else if ((arg === '--stack' || arg === '--region') && args[i + 1] && !args[i + 1].startsWith('--')) {
      options[arg === '--stack' ? 'stack' : 'region'] = args[++i];
    } else {return undefined;}
  }
  return options;
}

/** Runs the doctor and returns its exit status. */
export async function doctor(args: readonly string[], io: DoctorIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.err(`${DOCTOR_USAGE}\n`);
    return DOCTOR_EXIT.passed;
  }
  const options = optionsOf(args);
  if (!options) {
    io.err(`${DOCTOR_USAGE}\n`);
    return DOCTOR_EXIT.usage;
  }
  let clients: DoctorClients;
  let guard;
  try {
    clients = (io.clients ?? doctorClients)(options.region);
    guard = await findGuard(clients.cloudFormation, options.stack);
  } catch (error) {
    io.err(`mining-guard doctor: ${error instanceof GuardNotFound ? error.message : `cannot reach AWS: ${(error as Error).message}`}\n`);
    return DOCTOR_EXIT.unreachable;
  }
  const clientsFor = (region: string) => (io.clients ?? doctorClients)(region);
  const checks: Check[] = [
    ...await doctorChecks(clients, guard.resources, guard.account),
    ...await adoptedTopicChecks(clients, guard),
    ...await regionalChecks(clients, clientsFor, guard),
  ];
  if (options.drill) {
    const region = options.region ?? await clients.lambda.config.region();
    checks.push(...await runDrill(clients, guard.resources, {
      signal: io.signal, timeoutMs: io.drillTimeoutMs, log: (t) => io.err(`${t}\n`), account: guard.account, region,
    }));
  }
  if (options.json) {
    io.out(`${JSON.stringify({ stack: guard.stackName, checks })}\n`);
  } else {
    io.out(`MiningGuard in ${guard.stackName}\n`);
    for (const check of checks) io.out(`${formatCheck(check)}\n`);
    const failed = checks.filter((c) => c.status === 'FAIL').length;
    io.out(`${checks.length} checks, ${failed} failed\n`);
  }
  return exitStatusOf(checks);
}
