import { describe, expect, it } from 'vitest';
import { createDetectLanguageStep } from '../../../../src/pipeline/steps/detect-language.js';
import { context } from '../../conversation/helpers.js';

const step = createDetectLanguageStep();
const lang = (text: string) => {
  const ctx = context(text);
  step.run(ctx);
  return ctx.language;
};

describe('detect-language', () => {
  it.each([
    'How do I register a birth?',
    'what documents for marriage registration',
    'How much is the fee for a passport?',
    'Where can I renew my ID card?',
    'talk to a human please',
    'thanks',
    'Can I apply online for a business license?',
    'how long does it take',
    'what about the fee?',
  ])('English: %s', (text) => expect(lang(text)).toBe('en'));

  it.each([
    'lam sao dang ky khai sinh',
    'Làm sao đăng ký khai sinh?',
    'đăng ký kết hôn cần giấy tờ gì',
    'cap lai cccd o dau',
    'xin chao',
    'thủ tục cấp lại hộ chiếu online',
    'cho toi hoi ve so do',
    'how to dang ky khai sinh',
    'lệ phí cấp passport bao nhiêu',
    '',
  ])('Vietnamese: %s', (text) => expect(lang(text)).toBe('vi'));
});
