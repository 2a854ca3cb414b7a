import { ec2Tags, tagOrNote } from '../../../../lambda/aws/launch/tagging';
import { awsError } from '../../../harness/mocked-aws';

describe('tagOrNote', () => {
  test('a tag that succeeds leaves nothing to note', async () => {
    // GIVEN
    const tag = jest.fn().mockResolvedValue({});

    // WHEN
    const notes = await tagOrNote('instance i-1', tag);

    // THEN
    expect(notes).toEqual([]);
    expect(tag).toHaveBeenCalledTimes(1);
  });

  test('a refused tag is noted with what was not tagged and AWS\'s error, not thrown', async () => {
    // GIVEN
    const tag = () => Promise.reject(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));

    // WHEN
    const notes = await tagOrNote('instance i-1', tag);

    // THEN
    expect(notes).toEqual(['not tagged: instance i-1: UnauthorizedOperation: You are not authorized to perform this operation.']);
  });
});

describe('ec2Tags', () => {
  test('are the tags as EC2 takes them, in order', () => {
    expect(ec2Tags({ 'mining-guard:detection': 'd', 'mining-guard:event-id': 'e' })).toEqual([
      { Key: 'mining-guard:detection', Value: 'd' }, { Key: 'mining-guard:event-id', Value: 'e' },
    ]);
  });
});
