import { referencedId, resolveValue, stackValuesOf, templateResources, valueText } from '../../../../lambda/core/doctor/template-values';

const KNOWN = stackValuesOf('arn:aws:cloudformation:eu-west-1:111122223333:stack/Guard/0a1b', { TopicName: 'sec-alerts' });

describe('template values', () => {
  test('the stack\'s ARN gives its partition, region and account', () => {
    expect(KNOWN).toEqual({ partition: 'aws', region: 'eu-west-1', account: '111122223333', parameters: { TopicName: 'sec-alerts' } });
    expect(stackValuesOf(undefined)).toEqual({ partition: undefined, region: undefined, account: undefined, parameters: {} });
  });

  test('resolves strings, pseudo parameters, stack parameters and joins of them; not what only deployment knows', () => {
    const arn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: 'TopicName' }]] };
    expect(resolveValue(arn, KNOWN)).toBe('arn:aws:sns:eu-west-1:111122223333:sec-alerts');
    expect(resolveValue({ Ref: 'AWS::URLSuffix' }, KNOWN)).toBe('amazonaws.com');
    expect(resolveValue({ Ref: 'SomeTopic' }, KNOWN)).toBeUndefined();
    expect(resolveValue({ 'Fn::Join': ['', ['a', { 'Fn::GetAtt': ['Key', 'Arn'] }]] }, KNOWN)).toBeUndefined();
    expect(resolveValue(['a'], KNOWN)).toBeUndefined();
  });

  test('reads a JSON document joined around references, each reference a placeholder', () => {
    const context = { 'Fn::Join': ['', ['{"guardArns":["', { 'Fn::GetAtt': ['Key', 'Arn'] }, '"],"guardedRegions":["eu-west-1","', { Ref: 'AWS::Region' }, '"]}']] };
    expect(JSON.parse(valueText(context, KNOWN)!)).toEqual({ guardArns: ['?'], guardedRegions: ['eu-west-1', 'eu-west-1'] });
    expect(valueText({ 'Fn::Sub': 'x' }, KNOWN)).toBeUndefined();
  });

  test('names what a Ref or Fn::GetAtt refers to, and reads a template\'s resources or none', () => {
    expect(referencedId({ Ref: 'Topic' })).toBe('Topic');
    expect(referencedId({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('Role');
    expect(referencedId('arn:aws:sns:eu-west-1:1:t')).toBeUndefined();
    expect(templateResources(JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }))).toEqual({ T: { Type: 'AWS::SNS::Topic' } });
    expect(templateResources('not json')).toEqual({});
    expect(templateResources(undefined)).toEqual({});
  });
});
