import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode } from '../../domain/creditCode';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts real codes with correct check characters', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91110000600037341L')).toBe(true);
  });
  it('rejects a wrong check character, forbidden letters and wrong lengths', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M0001O0Y43')).toBe(false); // letter O is not in the alphabet
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(creditCodeCheckChar('short')).toBeUndefined();
  });
});
