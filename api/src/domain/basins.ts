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

type Range = readonly [number, number];

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
  /** Arps nominal annual initial decline and hyperbolic exponent. */
  di: Range;
  b: Range;
  /** $/unit against the benchmark (WTI Cushing, Henry Hub, Mont Belvieu NGL). */
  differential: Record<Product, number>;
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
    di: [0.65, 0.85],
    b: [0.9, 1.2],
    differential: { oil: 0.6, gas: -1.6, ngl: -2.0 },
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
    di: [0.7, 0.9],
    b: [0.9, 1.3],
    differential: { oil: 0.4, gas: -1.8, ngl: -2.2 },
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
    di: [0.7, 0.9],
    b: [0.9, 1.3],
    differential: { oil: 0.3, gas: -1.7, ngl: -2.2 },
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
    di: [0.7, 0.9],
    b: [0.8, 1.1],
    differential: { oil: 1.5, gas: -0.2, ngl: -1.5 },
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
    di: [0.65, 0.85],
    b: [0.8, 1.1],
    differential: { oil: -3.5, gas: -0.8, ngl: -4.0 },
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
    di: [0.7, 0.9],
    b: [0.9, 1.2],
    differential: { oil: -3.0, gas: -0.6, ngl: -3.0 },
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
    di: [0.7, 0.9],
    b: [0.9, 1.3],
    differential: { oil: -1.2, gas: -0.5, ngl: -2.5 },
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
    di: [0.8, 0.95],
    b: [0.8, 1.1],
    differential: { oil: 0, gas: -0.25, ngl: 0 },
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
    di: [0.6, 0.8],
    b: [0.9, 1.2],
    differential: { oil: 0, gas: -0.9, ngl: -4.0 },
    royaltyRates: [0.125, 0.15, 0.18],
    purchasers: { oil: 'n/a', gas: 'EQT Energy LLC' },
  },
];
