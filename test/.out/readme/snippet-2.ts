import { App, Stack } from 'aws-cdk-lib';
import { MiningGuard } from 'mining-guard';

const stack = new Stack(new App(), 'MiningGuard');
new MiningGuard(stack, 'MiningGuard', {
  alertEmails: ['secops@example.com'],
  alertSlack: { workspaceId: 'T0123ABCD', channelId: 'C0123456789' },
  alertWebhookUrls: ['https://hooks.example.com/mining-guard'],
  threatDetection: { minimumSeverity: 4 },
});

export {};
