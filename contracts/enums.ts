/**
 * Every enumerated value the GL contract publishes, once. The schemas build their unions from
 * these lists, the generator's domain types are derived from them, and a test checks that dbt's
 * `accepted_values` and docs/contracts.md list the same values (tests/api/contract-enums.test.ts).
 */

/** Sub-ledger that produced a journal (GL line `source`). */
export const SUBLEDGERS = ['revenue', 'ap', 'jib', 'cash', 'gl'] as const;
export type Subledger = (typeof SUBLEDGERS)[number];

/** Hydrocarbon product of a line (`product`). */
export const PRODUCTS = ['oil', 'gas', 'ngl'] as const;
export type ProductCode = (typeof PRODUCTS)[number];

/** Unit of a line's `volume`: NGL volumes are bbl. */
export const VOLUME_UOMS = ['bbl', 'mcf'] as const;
export type VolumeUom = (typeof VOLUME_UOMS)[number];

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export const NORMAL_BALANCES = ['debit', 'credit'] as const;
export type NormalBalance = (typeof NORMAL_BALANCES)[number];

export const OWNER_TYPES = ['company', 'working_interest_partner', 'royalty', 'orri'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

export const INTEREST_TYPES = ['WI', 'RI', 'ORRI'] as const;
export type InterestType = (typeof INTEREST_TYPES)[number];

export const WELL_STATUSES = ['permitted', 'drilling', 'completing', 'producing'] as const;
export type WellStatus = (typeof WELL_STATUSES)[number];

export const AFE_TYPES = ['drill', 'complete', 'facility', 'workover'] as const;
export type AfeType = (typeof AFE_TYPES)[number];

export const AFE_STATUSES = ['open', 'closed'] as const;
export type AfeStatus = (typeof AFE_STATUSES)[number];
