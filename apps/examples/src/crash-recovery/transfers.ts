import type { Bank } from "./bank.generated.ts";

export const ACCOUNTS = 3;
export const OPENING_BALANCE = 1000;
export const TOTAL = ACCOUNTS * OPENING_BALANCE;

/** Transfer number `n` (from 1): a fixed, repeatable sequence, so that every run tells the same story. */
export function transferNumber(n: number): { from: number; to: number; amount: number } {
  return { from: (n - 1) % ACCOUNTS, to: n % ACCOUNTS, amount: 10 * n };
}

export function total(bank: Bank): number {
  return bank.balances.reduce((sum, b) => sum + b, 0);
}
