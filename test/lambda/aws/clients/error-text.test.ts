import { errorText } from '../../../../lambda/aws/clients/error-text';
import { awsError } from '../../../harness/mocked-aws';

describe('errorText', () => {
  test('quotes an AWS failure as its error name and message', () => {
    // GIVEN
    const error = awsError('AccessDeniedException',
      'User: arn:aws:sts::123456789012:assumed-role/guard/fn is not authorized to perform: ec2:StopInstances');

    // WHEN
    const text = errorText(error);

    // THEN
    expect(text).toBe('AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/guard/fn is not authorized to perform: ec2:StopInstances');
  });

  test('names a plain Error by its class name', () => {
    expect(errorText(new TypeError('fetch failed'))).toBe('TypeError: fetch failed');
  });

  test('quotes a thrown value that is not an error as text after a generic name', () => {
    expect(errorText('socket hang up')).toBe('Error: socket hang up');
    expect(errorText(undefined)).toBe('Error: undefined');
    expect(errorText(null)).toBe('Error: null');
    expect(errorText(42)).toBe('Error: 42');
  });
});
