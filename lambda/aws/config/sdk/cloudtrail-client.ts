/** The part of the CloudTrail client the config evaluator uses: named exports let the bundler leave the rest out. */
export { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
