import * as fc from 'fast-check';
import { chatEscape, chatLink, chatText, cutChatText, MAX_CHAT_URL_LENGTH } from '../../../../lambda/core/alerts/chat-text';

describe('chatEscape', () => {
  test('escapes Slack\'s three markup characters, so no mention and no link is left', () => {
    expect(chatEscape('<!channel> <https://evil.example|Reset your password> & co')).toBe('&lt;!channel&gt; &lt;https[:]//evil.example|Reset your password&gt; &amp; co');
  });

  test('makes bold, strike-through, code and italics inert, and leaves snake_case names alone', () => {
    expect(chatEscape('*bold* ~strike~ `code` _italics_ my_role_name')).toBe('\u2217bold\u2217 \u223cstrike\u223c \u02cbcode\u02cb \u02cditalics\u02cd my_role_name');
  });

  test('breaks Markdown links and headings, and mentions written with an at sign', () => {
    expect(chatEscape('# Urgent [Reset](https://evil.example) @channel @Here')).toBe('\uff03 Urgent [Reset] (https[:]//evil.example) \uff20channel \uff20Here');
  });

  test('keeps the text on one line', () => {
    expect(chatEscape('a\nb')).not.toContain('\n');
  });

  test('for any text, no `<`, `>` or mrkdwn mark is left, and every `&` starts an entity', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      const escaped = chatEscape(text);
      expect(escaped).not.toMatch(/[<>*~`\n]/);
      expect(escaped.replace(/&(?:amp|lt|gt);/g, '')).not.toContain('&');
    }), { numRuns: 1000 });
  });
});

describe('chatText', () => {
  test('keeps a short text whole and cuts a long one between entities, the note counted', () => {
    expect(chatText('a<b', 10)).toBe('a&lt;b');
    expect(chatText('<<<<', 8, '~')).toBe('&lt;~');
    expect(cutChatText('&amp;&amp;', 9, '')).toBe('&amp;');
    expect(chatText('x'.repeat(50), 20)).toBe(`${'x'.repeat(14)} [cut]`);
  });
});

describe('chatLink', () => {
  test('links a URL the guard built, with an inert label', () => {
    expect(chatLink('https://us-east-1.console.aws.amazon.com/x?a=1&b=2', 'Instance <!here>'))
      .toBe('<https://us-east-1.console.aws.amazon.com/x?a=1&b=2|Instance &lt;!here&gt;>');
  });

  test('links nothing that is not https, holds a character that ends a Slack link, or is too long', () => {
    expect(chatLink('javascript:alert(1)', 'x')).toBeUndefined();
    expect(chatLink('https://x.example/a|<!channel>', 'x')).toBeUndefined();
    expect(chatLink('https://x.example/a b', 'x')).toBeUndefined();
    expect(chatLink(`https://x.example/${'a'.repeat(MAX_CHAT_URL_LENGTH)}`, 'x')).toBeUndefined();
  });
});
