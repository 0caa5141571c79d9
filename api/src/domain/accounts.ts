/**
 * The operator's chart of accounts (successful-efforts style, as most independents keep it).
 * Categories are the ones promised in docs/contracts.md, so dbt can map by category rather than
 * by account number.
 */
import type { AccountType, NormalBalance } from '../../../contracts/enums.ts';

export interface Account {
  number: string;
  name: string;
  type: AccountType;
  category: string;
  normalBalance: NormalBalance;
}

const account = (
  number: string,
  name: string,
  type: AccountType,
  category: string,
  normalBalance: NormalBalance,
): Account => ({
  number,
  name,
  type,
  category,
  normalBalance,
});

export const ACCOUNTS = {
  cash: account('1000', 'Cash - Operating Account', 'asset', 'cash', 'debit'),
  arSales: account('1200', 'Accounts Receivable - Oil & Gas Sales', 'asset', 'ar_oil_gas_sales', 'debit'),
  arJib: account('1210', 'Accounts Receivable - Joint Interest Billing', 'asset', 'ar_jib', 'debit'),
  wipFacilities: account(
    '1400',
    'Wells in Progress - Lease & Well Equipment (Facilities)',
    'asset',
    'wells_in_progress',
    'debit',
  ),
  wipIdc: account('1410', 'Wells in Progress - Intangible Drilling Costs', 'asset', 'idc', 'debit'),
  wipCompletion: account(
    '1420',
    'Wells in Progress - Intangible Completion Costs & Equipment',
    'asset',
    'icc_equipment',
    'debit',
  ),
  provedProperties: account('1500', 'Proved Oil & Gas Properties', 'asset', 'oil_gas_properties', 'debit'),
  accumulatedDda: account(
    '1550',
    'Accumulated DD&A - Proved Properties',
    'asset',
    'accumulated_dda',
    'credit',
  ),
  accountsPayable: account('2000', 'Accounts Payable - Trade', 'liability', 'accounts_payable', 'credit'),
  revenuePayable: account(
    '2100',
    'Revenue Payable - Royalty & Working Interest Owners',
    'liability',
    'revenue_payable',
    'credit',
  ),
  severancePayable: account(
    '2200',
    'Production Taxes Payable',
    'liability',
    'production_taxes_payable',
    'credit',
  ),
  retainedEarnings: account('3000', 'Retained Earnings', 'equity', 'retained_earnings', 'credit'),
  revenueOil: account('4000', 'Oil Sales', 'revenue', 'revenue_oil', 'credit'),
  revenueGas: account('4100', 'Gas Sales', 'revenue', 'revenue_gas', 'credit'),
  revenueNgl: account('4200', 'NGL Sales', 'revenue', 'revenue_ngl', 'credit'),
  loe: account('6000', 'Lease Operating Expense', 'expense', 'loe', 'debit'),
  loeWorkover: account('6050', 'Lease Operating Expense - Workovers', 'expense', 'loe', 'debit'),
  gathering: account('6100', 'Gathering & Transportation', 'expense', 'gathering_transportation', 'debit'),
  severance: account('6200', 'Severance & Production Taxes', 'expense', 'severance_tax', 'debit'),
  adValorem: account('6210', 'Ad Valorem Taxes', 'expense', 'ad_valorem_tax', 'debit'),
  overhead: account('6400', 'COPAS Overhead (recovered from partners)', 'expense', 'copas_overhead', 'debit'),
  dda: account('6500', 'Depreciation, Depletion & Amortization', 'expense', 'dda', 'debit'),
} as const satisfies Record<string, Account>;

export const CHART_OF_ACCOUNTS: readonly Account[] = Object.values(ACCOUNTS);

export const REVENUE_ACCOUNT = {
  oil: ACCOUNTS.revenueOil,
  gas: ACCOUNTS.revenueGas,
  ngl: ACCOUNTS.revenueNgl,
} as const;
