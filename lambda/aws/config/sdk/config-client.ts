/** The parts of the AWS Config client the config evaluator uses: named exports let the bundler leave the rest out. */
export { ConfigServiceClient, GetResourceConfigHistoryCommand, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
