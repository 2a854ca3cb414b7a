import { NotTagged, reportUntagged, tagOrNote } from '../../../../lambda/aws/launch/tagging';
import { awsError } from '../../../harness/mocked-aws';

describe('tagOrNote', () => {
  test('a tag that succeeds leaves nothing to note', async () => {
    // GIVEN
    const tag = jest.fn().mockResolvedValue({});

    // WHEN
    const note = await tagOrNote(tag);

    // THEN
    expect(note).toBeUndefined();
    expect(tag).toHaveBeenCalledTimes(1);
  });

  test('a refused tag is noted with AWS\'s error, not thrown', async () => {
    // GIVEN
    const tag = () => Promise.reject(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'));

    // WHEN
    const note = await tagOrNote(tag);

    // THEN
    expect(note).toBe('UnauthorizedOperation: You are not authorized to perform this operation.');
  });
});

describe('reportUntagged', () => {
  test('ends the step with NotTagged, carrying the note, when the tag failed', () => {
    // WHEN
    const report = () => reportUntagged('AccessDeniedException: not authorized to perform: batch:TagResource');

    // THEN
    expect(report).toThrow(NotTagged);
    expect(report).toThrow('AccessDeniedException: not authorized to perform: batch:TagResource');
  });

  test('NotTagged is named so the outcome reads as a tagging failure', () => {
    expect(new NotTagged('x').name).toBe('NotTagged');
  });

  test('does nothing when the tag succeeded', () => {
    expect(() => reportUntagged(undefined)).not.toThrow();
  });
});
