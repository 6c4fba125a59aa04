export { Prng } from './prng.js';
export { generateFacility, DEFAULT_START } from './facility.js';
export type { FacilityOptions, GeneratedFacility, Hotspot } from './facility.js';
export { generateRequests } from './requests.js';
export type { RequestStreamOptions } from './requests.js';
export { CATALOGUE, TENANTS, AREAS } from './catalogue.js';
export { generateRoundScenario, ROUND_WEEK_START } from './round.js';
export type { RoundScenario, RoundScenarioOptions } from './round.js';
