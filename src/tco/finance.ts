/** Loan and depreciation arithmetic. Pure; rates are annual fractions, periods are months. */

/** Equal monthly instalment repaying `principal` over `months` at `annualRate` (annuity): P·r / (1 − (1+r)^−n), r = rate/12. */
export function annuityPayment(principal: number, annualRate: number, months: number): number {
  if (months <= 0) return principal;
  const r = annualRate / 12;
  if (r === 0) return principal / months;
  return (principal * r) / (1 - (1 + r) ** -months);
}

/** Balance still owed after `paid` instalments: P(1+r)^k − A((1+r)^k − 1)/r. */
export function remainingBalance(principal: number, annualRate: number, months: number, paid: number): number {
  if (paid >= months) return 0;
  const a = annuityPayment(principal, annualRate, months);
  const r = annualRate / 12;
  if (r === 0) return principal - a * paid;
  const g = (1 + r) ** paid;
  return principal * g - (a * (g - 1)) / r;
}

/** Resale share after `ageMonths`, declining geometrically through `valueAt` at `atMonths` (e.g. 30% at 36 months). */
export function residualShare(valueAt: number, atMonths: number, ageMonths: number): number {
  if (valueAt <= 0) return 0;
  return valueAt ** (ageMonths / atMonths);
}
