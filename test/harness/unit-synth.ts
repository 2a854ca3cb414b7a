/**
 * Synths inside the tests skip aws-cdk-lib's built-in template validation: its engine takes 2-3 s to start in each
 * worker and about a second per MiningGuard template, and in-process it only prints warnings, so it would slow every
 * assertion test without ever failing one. The examples, synthesized with the CDK CLI by the global setup, keep it,
 * and a test fails on anything it reports there. `CDK_VALIDATION=true npx jest` validates every test's template too.
 */
process.env.CDK_VALIDATION ??= 'false';
