/** The alert channel a part under test alerts through, as MiningGuard would give it one. */
import { Construct } from 'constructs';
import { AlertChannel } from '../../lib';

/** An alert channel with one email subscriber, in the scope's stack. */
export function testAlerts(scope: Construct, id = 'Alerts'): AlertChannel {
  return new AlertChannel(scope, id, { emails: ['secops@example.com'] });
}
