import * as fc from 'fast-check';
import {
  cloudTrailEventsUrl, cloudTrailEventUrl, cloudWatchAlarmUrl, configRuleUrl, consoleOrigin, ec2InstanceUrl, guardDutyFindingUrl,
  iamRoleUrl, iamUserUrl,
} from '../../../../lambda/core/alerts/console-links';

describe('consoleOrigin', () => {
  test.each([
    ['aws', 'us-east-1', 'https://us-east-1.console.aws.amazon.com'],
    ['aws', 'sa-east-1', 'https://sa-east-1.console.aws.amazon.com'],
    ['aws-cn', 'cn-north-1', 'https://console.amazonaws.cn'],
    ['aws-us-gov', 'us-gov-west-1', 'https://console.amazonaws-us-gov.com'],
  ])('%s in %s opens %s', (partition, region, origin) => {
    expect(consoleOrigin(partition, region)).toBe(origin);
  });

  test('a partition it does not know opens the global console, without a region in the host', () => {
    expect(consoleOrigin('aws-iso', 'us-iso-east-1')).toBe('https://console.aws.amazon.com');
    expect(consoleOrigin('', 'us-east-1')).toBe('https://console.aws.amazon.com');
  });

  test.each(['evil.example#', 'us-east-1.evil.example', '', 'US-EAST-1', 'apiso-centralnorth-2r'])(
    'a region that is not a region name (%p) never becomes part of the host: the global console opens', (region) => {
      expect(consoleOrigin('aws', region)).toBe('https://console.aws.amazon.com');
    });

  test('a partition written by an attacker as an object property name is still unknown', () => {
    expect(consoleOrigin('constructor', 'eu-west-1')).toBe('https://console.aws.amazon.com');
  });
});

describe('deep links', () => {
  test('a GuardDuty finding opens in its region, the finding selected', () => {
    expect(guardDutyFindingUrl('aws', 'us-east-1', '16afba5c5c43e07c9e3e5e2e544e95df'))
      .toBe('https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=16afba5c5c43e07c9e3e5e2e544e95df');
  });

  test('an instance opens on its details page', () => {
    expect(ec2InstanceUrl('aws-cn', 'cn-north-1', 'i-05746eb48123455e0'))
      .toBe('https://console.amazonaws.cn/ec2/home?region=cn-north-1#InstanceDetails:instanceId=i-05746eb48123455e0');
  });

  test('IAM is global: users and roles open in us-east-1', () => {
    expect(iamUserUrl('aws', 'bert-jan')).toBe('https://us-east-1.console.aws.amazon.com/iam/home#/users/details/bert-jan');
    expect(iamRoleUrl('aws', 'stratus-red-team-ec2lui-role-pcccexdthk'))
      .toBe('https://us-east-1.console.aws.amazon.com/iam/home#/roles/details/stratus-red-team-ec2lui-role-pcccexdthk');
    expect(iamUserUrl('aws-us-gov', 'ci-bot')).toBe('https://console.amazonaws-us-gov.com/iam/home#/users/details/ci-bot');
  });

  test('CloudTrail event history is filtered by the attribute and value given', () => {
    expect(cloudTrailEventsUrl('aws', 'us-east-1', 'Username', 'christophe'))
      .toBe('https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events?Username=christophe');
  });

  test('a Config rule opens on its compliance page', () => {
    expect(configRuleUrl('aws', 'eu-west-1', 'MiningGuard-instance-family'))
      .toBe('https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/rules/details?configRuleName=MiningGuard-instance-family');
  });

  test('names are encoded: the characters IAM allows in a user name cannot add parameters', () => {
    expect(iamUserUrl('aws', 'ci+bot=x,y.z@example-1'))
      .toBe('https://us-east-1.console.aws.amazon.com/iam/home#/users/details/ci%2Bbot%3Dx%2Cy.z%40example-1');
    expect(cloudTrailEventsUrl('aws', 'us-east-1', 'Username', 'a&EventName=DeleteTrail#x'))
      .toBe('https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events?Username=a%26EventName%3DDeleteTrail%23x');
  });

  test('any well-formed value comes back unchanged from the link\'s parameters', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 200 });
    fc.assert(fc.property(text, text, (value, attribute) => {
      const finding = new URL(guardDutyFindingUrl('aws', 'us-east-1', value));
      expect(finding.host).toBe('us-east-1.console.aws.amazon.com');
      expect(new URLSearchParams(finding.hash.slice('#/findings?'.length)).get('fId')).toBe(value);

      const events = new URL(cloudTrailEventsUrl('aws', 'us-east-1', attribute, value));
      expect([...new URLSearchParams(events.hash.slice('#/events?'.length))]).toEqual([[attribute, value]]);

      const rule = new URL(configRuleUrl('aws', 'us-east-1', value));
      expect(new URLSearchParams(rule.hash.slice('#/rules/details?'.length)).get('configRuleName')).toBe(value);
      expect(rule.searchParams.get('region')).toBe('us-east-1');

      const instance = new URL(ec2InstanceUrl('aws', 'us-east-1', value));
      expect(decodeURIComponent(instance.hash.slice('#InstanceDetails:instanceId='.length))).toBe(value);
      expect(decodeURIComponent(new URL(iamUserUrl('aws', value)).hash.slice('#/users/details/'.length))).toBe(value);
      expect(decodeURIComponent(new URL(iamRoleUrl('aws', value)).hash.slice('#/roles/details/'.length))).toBe(value);
    }), { numRuns: 500 });
  });

  test('a lone surrogate, which JSON lets through, becomes a replacement character instead of throwing', () => {
    const eventId = JSON.parse('"abc\\ud800def"') as string;
    expect(cloudTrailEventUrl('aws', 'eu-west-1', eventId)).toBe('https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events/abc%EF%BF%BDdef');
    expect(cloudWatchAlarmUrl('aws', JSON.parse('"\\udc00"') as string, 'a')).toBe('https://console.aws.amazon.com/cloudwatch/home?region=%EF%BF%BD#alarmsV2:alarm/a');
  });

  test('a whole surrogate pair stays the character it is', () => {
    expect(cloudWatchAlarmUrl('aws', 'eu-west-1', 'alarm 😀')).toBe('https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/alarm%20%F0%9F%98%80');
  });
});
