/**
 * The basins the synthetic operator works in. County codes are the API (American Petroleum
 * Institute) county codes, which for these states follow the FIPS county codes; state codes are
 * the API state codes (TX 42, NM 30, ND 33, CO 05, OK 35, LA 17, PA 37), so API numbers look
 * like the real thing: 42-329-xxxxx is a Midland County, Texas well.
 */
export type StateCode = 'TX' | 'NM' | 'ND' | 'CO' | 'OK' | 'LA' | 'PA';
export type Product = 'oil' | 'gas' | 'ngl';

export interface County {
  name: string;
  apiCode: string;
}

export type Range = readonly [number, number];

/** Gross (8/8ths) amounts in USD, before any working-interest split. */
export interface BasinEconomics {
  /** Oil price vs WTI Cushing, $/bbl, drawn per month. */
  oilDifferential: Range;
  /** Gas price vs Henry Hub, $/MMBtu, drawn per month. */
  gasDifferential: Range;
  /** Heat content of the residue gas sold, MMBtu per mcf. */
  heatContent: number;
  /** NGL realized price as a share of WTI, drawn per month. */
  nglShareOfWti: Range;
  /** Lease operating expense: a fixed amount per well-month plus a variable amount per BOE. */
  loeFixedPerWellMonth: Range;
  loePerBoe: Range;
  /** Gathering, processing and transport: per mcf of gas, per bbl of oil. */
  gatheringPerMcf: Range;
  oilTransportPerBbl: Range;
  /** Units-of-production DD&A rate per net BOE. */
  ddaPerBoe: Range;
  /** Drilling, completion and facilities cost of a well. */
  capexPerWell: Range;
}

export interface Basin {
  id: string;
  name: string;
  state: StateCode;
  apiStateCode: string;
  counties: readonly County[];
  /** Share of the operator's wells in this basin. */
  weight: number;
  /** Initial rates per day: oil bbl/d, gas mcf/d; NGL follows gas at a yield in bbl per mmcf. */
  oilQi: Range;
  gasQi: Range;
  nglYield: Range;
  /**
   * Effective first-year decline (1 - rate after a year / initial rate) and Arps hyperbolic
   * exponent; the nominal initial decline follows from the two (production.ts).
   */
  firstYearDecline: Range;
  b: Range;
  /** Economics, each a range a well or month is drawn from; docs/economics.md gives the sources. */
  economics: BasinEconomics;
  /** Lease royalty rates typical of the area (federal NM leases 12.5%, Texas fee leases 20-25%). */
  royaltyRates: readonly number[];
  purchasers: { oil: string; gas: string };
}

export const BASINS: readonly Basin[] = [
  {
    id: 'permian-midland',
    name: 'Permian Basin (Midland)',
    state: 'TX',
    apiStateCode: '42',
    counties: [
      { name: 'Midland', apiCode: '329' },
      { name: 'Martin', apiCode: '317' },
      { name: 'Howard', apiCode: '227' },
      { name: 'Upton', apiCode: '461' },
    ],
    weight: 0.17,
    oilQi: [700, 1400],
    gasQi: [1200, 2800],
    nglYield: [110, 150],
    firstYearDecline: [0.65, 0.75],
    b: [0.9, 1.2],
    economics: {
      oilDifferential: [0.5, 1.8],
      gasDifferential: [-2.0, -0.8],
      heatContent: 1.08,
      nglShareOfWti: [0.26, 0.34],
      loeFixedPerWellMonth: [8000, 13_000],
      loePerBoe: [2.5, 4.0],
      gatheringPerMcf: [0.35, 0.6],
      oilTransportPerBbl: [0.6, 1.2],
      ddaPerBoe: [11, 16],
      capexPerWell: [6_500_000, 8_500_000],
    },
    royaltyRates: [0.25, 0.225, 0.2, 0.1875],
    purchasers: { oil: 'Plains Marketing, L.P.', gas: 'Targa Midstream Services LLC' },
  },
  {
    id: 'permian-delaware-tx',
    name: 'Permian Basin (Delaware, Texas)',
    state: 'TX',
    apiStateCode: '42',
    counties: [
      { name: 'Reeves', apiCode: '389' },
      { name: 'Loving', apiCode: '301' },
      { name: 'Ward', apiCode: '475' },
    ],
    weight: 0.11,
    oilQi: [800, 1600],
    gasQi: [2000, 4500],
    nglYield: [100, 140],
    firstYearDecline: [0.68, 0.77],
    b: [0.9, 1.3],
    economics: {
      oilDifferential: [0.3, 1.5],
      gasDifferential: [-2.2, -1.0],
      heatContent: 1.1,
      nglShareOfWti: [0.25, 0.33],
      loeFixedPerWellMonth: [10_000, 16_000],
      loePerBoe: [3.0, 4.5],
      gatheringPerMcf: [0.4, 0.65],
      oilTransportPerBbl: [0.8, 1.5],
      ddaPerBoe: [12, 17],
      capexPerWell: [8_000_000, 10_500_000],
    },
    royaltyRates: [0.25, 0.225, 0.2],
    purchasers: { oil: 'Oryx Delaware Oil Transport LLC', gas: 'Enterprise Products Operating LLC' },
  },
  {
    id: 'permian-delaware-nm',
    name: 'Permian Basin (Delaware, New Mexico)',
    state: 'NM',
    apiStateCode: '30',
    counties: [
      { name: 'Eddy', apiCode: '015' },
      { name: 'Lea', apiCode: '025' },
    ],
    weight: 0.12,
    oilQi: [800, 1500],
    gasQi: [1800, 4000],
    nglYield: [100, 140],
    firstYearDecline: [0.68, 0.77],
    b: [0.9, 1.3],
    economics: {
      oilDifferential: [0.2, 1.4],
      gasDifferential: [-2.1, -0.9],
      heatContent: 1.1,
      nglShareOfWti: [0.25, 0.33],
      loeFixedPerWellMonth: [10_000, 16_000],
      loePerBoe: [3.0, 4.5],
      gatheringPerMcf: [0.4, 0.65],
      oilTransportPerBbl: [0.8, 1.5],
      ddaPerBoe: [12, 17],
      capexPerWell: [8_000_000, 10_500_000],
    },
    royaltyRates: [0.125, 0.1875, 0.2],
    purchasers: { oil: 'Shell Trading (US) Company', gas: 'DCP Operating Company LP' },
  },
  {
    id: 'eagle-ford',
    name: 'Eagle Ford',
    state: 'TX',
    apiStateCode: '42',
    counties: [
      { name: 'Karnes', apiCode: '255' },
      { name: 'Gonzales', apiCode: '177' },
      { name: 'La Salle', apiCode: '283' },
      { name: 'Dimmit', apiCode: '127' },
      { name: 'McMullen', apiCode: '311' },
    ],
    weight: 0.14,
    oilQi: [500, 1100],
    gasQi: [800, 2400],
    nglYield: [90, 130],
    firstYearDecline: [0.66, 0.76],
    b: [0.8, 1.1],
    economics: {
      oilDifferential: [1.5, 3.0],
      gasDifferential: [-0.35, -0.05],
      heatContent: 1.06,
      nglShareOfWti: [0.27, 0.35],
      loeFixedPerWellMonth: [7000, 12_000],
      loePerBoe: [3.0, 5.0],
      gatheringPerMcf: [0.45, 0.75],
      oilTransportPerBbl: [0.5, 1.2],
      ddaPerBoe: [13, 19],
      capexPerWell: [5_500_000, 7_500_000],
    },
    royaltyRates: [0.25, 0.2, 0.1875],
    purchasers: { oil: 'Energy Transfer Crude Marketing LLC', gas: 'Kinder Morgan Texas Pipeline LLC' },
  },
  {
    id: 'bakken',
    name: 'Williston Basin (Bakken)',
    state: 'ND',
    apiStateCode: '33',
    counties: [
      { name: 'McKenzie', apiCode: '053' },
      { name: 'Williams', apiCode: '105' },
      { name: 'Mountrail', apiCode: '061' },
      { name: 'Dunn', apiCode: '025' },
    ],
    weight: 0.12,
    oilQi: [700, 1500],
    gasQi: [700, 1800],
    nglYield: [120, 170],
    firstYearDecline: [0.63, 0.73],
    b: [0.8, 1.1],
    economics: {
      oilDifferential: [-5.5, -2.5],
      gasDifferential: [-1.0, -0.3],
      heatContent: 1.12,
      nglShareOfWti: [0.15, 0.25],
      loeFixedPerWellMonth: [11_000, 18_000],
      loePerBoe: [4.5, 6.5],
      gatheringPerMcf: [0.6, 1.0],
      oilTransportPerBbl: [2.0, 3.5],
      ddaPerBoe: [14, 20],
      capexPerWell: [6_500_000, 8_500_000],
    },
    royaltyRates: [0.1875, 0.16, 0.2],
    purchasers: { oil: 'Hess Energy Marketing LLC', gas: 'ONEOK Rockies Midstream LLC' },
  },
  {
    id: 'dj-niobrara',
    name: 'Denver-Julesburg (Niobrara)',
    state: 'CO',
    apiStateCode: '05',
    counties: [
      { name: 'Weld', apiCode: '123' },
      { name: 'Adams', apiCode: '001' },
      { name: 'Broomfield', apiCode: '014' },
    ],
    weight: 0.08,
    oilQi: [300, 800],
    gasQi: [600, 1800],
    nglYield: [110, 150],
    firstYearDecline: [0.68, 0.77],
    b: [0.9, 1.2],
    economics: {
      oilDifferential: [-5.0, -2.0],
      gasDifferential: [-0.8, -0.2],
      heatContent: 1.1,
      nglShareOfWti: [0.2, 0.3],
      loeFixedPerWellMonth: [6000, 10_000],
      loePerBoe: [2.0, 3.5],
      gatheringPerMcf: [0.5, 0.9],
      oilTransportPerBbl: [1.0, 2.5],
      ddaPerBoe: [12, 18],
      capexPerWell: [5_000_000, 7_000_000],
    },
    royaltyRates: [0.125, 0.1875, 0.2],
    purchasers: { oil: 'Suncor Energy Marketing Inc.', gas: 'DCP Operating Company LP' },
  },
  {
    id: 'anadarko',
    name: 'Anadarko Basin (SCOOP/STACK)',
    state: 'OK',
    apiStateCode: '35',
    counties: [
      { name: 'Canadian', apiCode: '017' },
      { name: 'Kingfisher', apiCode: '073' },
      { name: 'Grady', apiCode: '051' },
      { name: 'Blaine', apiCode: '011' },
    ],
    weight: 0.1,
    oilQi: [200, 700],
    gasQi: [2000, 6000],
    nglYield: [90, 130],
    firstYearDecline: [0.65, 0.75],
    b: [0.9, 1.3],
    economics: {
      oilDifferential: [-1.8, -0.5],
      gasDifferential: [-0.8, -0.3],
      heatContent: 1.1,
      nglShareOfWti: [0.24, 0.32],
      loeFixedPerWellMonth: [6000, 10_000],
      loePerBoe: [2.0, 3.5],
      gatheringPerMcf: [0.5, 0.8],
      oilTransportPerBbl: [1.0, 2.0],
      ddaPerBoe: [9, 15],
      capexPerWell: [6_000_000, 8_500_000],
    },
    royaltyRates: [0.1875, 0.125, 0.2],
    purchasers: {
      oil: 'Sunoco Partners Marketing & Terminals L.P.',
      gas: 'Enable Oklahoma Intrastate Transmission',
    },
  },
  {
    id: 'haynesville',
    name: 'Haynesville Shale',
    state: 'LA',
    apiStateCode: '17',
    counties: [
      { name: 'De Soto', apiCode: '031' },
      { name: 'Caddo', apiCode: '017' },
      { name: 'Bossier', apiCode: '015' },
      { name: 'Red River', apiCode: '081' },
    ],
    weight: 0.08,
    oilQi: [0, 0],
    gasQi: [10_000, 25_000],
    nglYield: [0, 0],
    firstYearDecline: [0.71, 0.77],
    b: [0.8, 1.1],
    economics: {
      oilDifferential: [0, 0],
      gasDifferential: [-0.45, -0.1],
      heatContent: 1.02,
      nglShareOfWti: [0, 0],
      loeFixedPerWellMonth: [4000, 8000],
      loePerBoe: [0.6, 1.0],
      gatheringPerMcf: [0.3, 0.5],
      oilTransportPerBbl: [0, 0],
      ddaPerBoe: [5.5, 8],
      capexPerWell: [12_000_000, 17_000_000],
    },
    royaltyRates: [0.25, 0.2, 0.1875],
    purchasers: { oil: 'n/a', gas: 'Williams Gas Marketing Inc.' },
  },
  {
    id: 'appalachia',
    name: 'Appalachian Basin (Marcellus)',
    state: 'PA',
    apiStateCode: '37',
    counties: [
      { name: 'Washington', apiCode: '125' },
      { name: 'Greene', apiCode: '059' },
      { name: 'Susquehanna', apiCode: '115' },
      { name: 'Bradford', apiCode: '015' },
      { name: 'Lycoming', apiCode: '081' },
    ],
    weight: 0.08,
    oilQi: [0, 0],
    gasQi: [6000, 18_000],
    nglYield: [0, 60],
    firstYearDecline: [0.63, 0.73],
    b: [0.9, 1.2],
    economics: {
      oilDifferential: [0, 0],
      gasDifferential: [-1.1, -0.5],
      heatContent: 1.04,
      nglShareOfWti: [0.18, 0.28],
      loeFixedPerWellMonth: [2500, 5000],
      loePerBoe: [0.25, 0.5],
      gatheringPerMcf: [0.55, 0.85],
      oilTransportPerBbl: [0, 0],
      ddaPerBoe: [2.5, 4.5],
      capexPerWell: [8_000_000, 12_000_000],
    },
    royaltyRates: [0.125, 0.15, 0.18],
    purchasers: { oil: 'n/a', gas: 'EQT Energy LLC' },
  },
];
