/** EventBridge rules that select CloudTrail calls for catalog detections: one rule per event source. */
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { cloudTrailSelections, Detection, eventBridgeDetailType, eventBridgeSource } from '../catalog';

/** A rule per event source of the detections' CloudTrail signals, matching exactly their event names, to `target`. */
export function cloudTrailRules(scope: Construct, detections: readonly Detection[], target: events.IRuleTarget, purpose: string): events.Rule[] {
  return [...cloudTrailSelections(detections)].map(([eventSource, eventNames]) => new events.Rule(scope, `Rule-${eventSource.split('.')[0]}`, {
    description: `MiningGuard: ${eventSource} ${purpose}`,
    eventPattern: {
      source: [eventBridgeSource(eventSource)],
      detailType: [eventBridgeDetailType(eventSource)],
      detail: { eventSource: [eventSource], eventName: eventNames },
    },
    targets: [target],
  }));
}
