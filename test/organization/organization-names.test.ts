import { App, Stack } from 'aws-cdk-lib';
import {
  ORGANIZATION_SPEND_TOPIC, ORGANIZATION_TRAIL_STREAM, organizationSpendTopicArn, organizationTrailStreamArn,
} from '../../lib/organization/organization-names';

const MANAGEMENT = { account: '999988887777', region: 'us-east-1' };

describe('the names both sides of an organization agree on', () => {
  test('the stream and the topic are named in the management account and region, in the stack\'s partition', () => {
    const stack = new Stack(new App(), 'Security', { env: { account: '111122223333', region: 'eu-west-1' } });
    expect(stack.resolve(organizationTrailStreamArn(stack, MANAGEMENT)))
      .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kinesis:us-east-1:999988887777:stream/${ORGANIZATION_TRAIL_STREAM}`]] });
    expect(stack.resolve(organizationSpendTopicArn(stack, MANAGEMENT)))
      .toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sns:us-east-1:999988887777:${ORGANIZATION_SPEND_TOPIC}`]] });
  });

  test('the names are the ones the management stack gives, valid for Kinesis and SNS', () => {
    expect(ORGANIZATION_TRAIL_STREAM).toMatch(/^[a-zA-Z0-9_.-]{1,128}$/);
    expect(ORGANIZATION_SPEND_TOPIC).toMatch(/^[a-zA-Z0-9_-]{1,256}$/);
  });
});
