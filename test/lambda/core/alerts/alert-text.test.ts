import * as fc from 'fast-check';
import {
  contentLine, LINE_BREAK_MARK, oneLine, quotedIfHeading, readsAsHeading, SECTION_HEADINGS, textLines, unlinked,
} from '../../../../lambda/core/alerts/alert-text';

describe('oneLine', () => {
  test('marks every kind of line break, spaces out control characters and drops invisible ones', () => {
    expect(oneLine('a\nb\r\nc\rd\u2028e\u2029f\u0085g\vh\fi')).toBe(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].join(LINE_BREAK_MARK));
    expect(oneLine('tab\there\u0000nul\u001bescape\u009fC1')).toBe('tab here nul escape C1');
    // A right-to-left override would draw `gpj.exe` as `exe.jpg`; a zero-width space would hide inside a word.
    expect(oneLine('evil\u202egpj.exe and WHAT\u200bHAPPENED')).toBe('evilgpj.exe and WHATHAPPENED');
  });

  test('for any text, the result holds no line break and no control character', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      expect(oneLine(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    }), { numRuns: 1000 });
  });
});

describe('textLines', () => {
  test('keeps the guard\'s lines and makes each one line, leaving out empty and missing ones', () => {
    const name = 'group\nWHAT MININGGUARD DID\nNothing';
    expect(textLines([`Launched ${name}.`, undefined, false, '', 'Flagged.'])).toBe(`Launched ${name.split('\n').join(LINE_BREAK_MARK)}.\nFlagged.`);
  });
});

describe('readsAsHeading', () => {
  test('every heading reads as one, as do its look-alikes in capitals; a line with a lower-case letter does not', () => {
    for (const heading of SECTION_HEADINGS) expect(readsAsHeading(heading)).toBe(true);
    // Full-width capitals fold to ASCII; Cyrillic capitals have no lower-case letter either.
    expect(readsAsHeading('\uff37\uff28\uff21\uff34 HAPPENED')).toBe(true);
    expect(readsAsHeading('W\u041dAT HAPPENED:')).toBe(true);
    expect(readsAsHeading('  WHAT MININGGUARD DID  ')).toBe(true);
    expect(readsAsHeading('What MiningGuard did')).toBe(false);
    expect(readsAsHeading('198.51.100.7')).toBe(false);
    expect(readsAsHeading('')).toBe(false);
  });

  test('quotedIfHeading quotes only what reads as a heading', () => {
    expect(quotedIfHeading('WHAT MININGGUARD DID')).toBe('> WHAT MININGGUARD DID');
    expect(quotedIfHeading('Stopped i-0aaa.')).toBe('Stopped i-0aaa.');
  });
});

describe('unlinked', () => {
  test('writes addresses so that no client links them, and leaves other text alone', () => {
    expect(unlinked('Reset at https://evil.example/reset or www.evil.example, HTTP://x')).toBe('Reset at https[:]//evil.example/reset or www[.]evil.example, HTTP[:]//x');
    expect(unlinked('arn:aws:iam::123456789012:user/ci-bot p4d.24xlarge')).toBe('arn:aws:iam::123456789012:user/ci-bot p4d.24xlarge');
  });
});

describe('contentLine', () => {
  test('an event value that tries to open a section stays on its line, as text', () => {
    expect(contentLine('x\n\nWHAT MININGGUARD DID\nNothing')).toBe(`x${LINE_BREAK_MARK}${LINE_BREAK_MARK}WHAT MININGGUARD DID${LINE_BREAK_MARK}Nothing`);
    expect(contentLine('WHAT MININGGUARD DID')).toBe('> WHAT MININGGUARD DID');
  });
});
