import type { ContaminationGroup, Material, TenantClass, WaferSize } from '../model.js';
import { MINUTES_PER_DAY, MINUTES_PER_HOUR } from '../week.js';

// The pilot line of DESIGN.md: about forty tools in seven areas, thirteen tenants. Invented but
// plausible names; policies and maintenance cadences as the design describes them.

export type Area = 'epitaxy' | 'implant' | 'deposition' | 'lithography' | 'etch' | 'wet' | 'metrology';

export interface AreaProfile {
  readonly minMinutes: number;
  readonly maxMinutes: number;
  /** Most bookings fall in this range (the policy allows the wider one above). */
  readonly typicalMinutes: readonly [number, number];
  readonly minNoticeMinutes: number;
  readonly maxAdvanceMinutes: number;
  readonly bufferAfterMinutes: number;
  readonly weeklyQuotaHours: number;
  readonly approvalRequired: boolean;
  /** Share of the tool's time booked in the history. */
  readonly utilisation: number;
  readonly maintenanceEveryDays: number;
  readonly maintenanceMinutes: number;
  /** Changeover when the material changes (chamber seasoning), if any. */
  readonly seasoningMinutes?: number;
}

const h = MINUTES_PER_HOUR;
const d = MINUTES_PER_DAY;

// One line per row, so the table reads as a table.
// prettier-ignore
export const AREAS: Readonly<Record<Area, AreaProfile>> = {
  epitaxy: { minMinutes: 4 * h, maxMinutes: 12 * h, typicalMinutes: [4 * h, 10 * h], minNoticeMinutes: 24 * h, maxAdvanceMinutes: 14 * d, bufferAfterMinutes: 60, weeklyQuotaHours: 40, approvalRequired: true, utilisation: 0.7, maintenanceEveryDays: 14, maintenanceMinutes: 8 * h, },
  implant: { minMinutes: 15, maxMinutes: 8 * h, typicalMinutes: [15, 3 * h], minNoticeMinutes: h, maxAdvanceMinutes: 28 * d, bufferAfterMinutes: 5, weeklyQuotaHours: 24, approvalRequired: false, utilisation: 0.75, maintenanceEveryDays: 91, maintenanceMinutes: 8 * h, },
  deposition: { minMinutes: 30, maxMinutes: 12 * h, typicalMinutes: [30, 4 * h], minNoticeMinutes: 2 * h, maxAdvanceMinutes: 28 * d, bufferAfterMinutes: 15, weeklyQuotaHours: 30, approvalRequired: false, utilisation: 0.55, maintenanceEveryDays: 91, maintenanceMinutes: 8 * h, },
  lithography: { minMinutes: 15, maxMinutes: 6 * h, typicalMinutes: [30, 3 * h], minNoticeMinutes: h, maxAdvanceMinutes: 28 * d, bufferAfterMinutes: 0, weeklyQuotaHours: 20, approvalRequired: false, utilisation: 0.6, maintenanceEveryDays: 91, maintenanceMinutes: 8 * h, },
  etch: { minMinutes: 30, maxMinutes: 4 * h, typicalMinutes: [30, 2 * h], minNoticeMinutes: h, maxAdvanceMinutes: 28 * d, bufferAfterMinutes: 15, weeklyQuotaHours: 20, approvalRequired: false, utilisation: 0.6, maintenanceEveryDays: 91, maintenanceMinutes: 8 * h, seasoningMinutes: 30, },
  wet: { minMinutes: 30, maxMinutes: 4 * h, typicalMinutes: [30, 2 * h], minNoticeMinutes: h, maxAdvanceMinutes: 28 * d, bufferAfterMinutes: 0, weeklyQuotaHours: 20, approvalRequired: false, utilisation: 0.45, maintenanceEveryDays: 91, maintenanceMinutes: 8 * h, },
  metrology: { minMinutes: 15, maxMinutes: 4 * h, typicalMinutes: [15, 90], minNoticeMinutes: h, maxAdvanceMinutes: 28 * d, bufferAfterMinutes: 0, weeklyQuotaHours: 15, approvalRequired: false, utilisation: 0.6, maintenanceEveryDays: 91, maintenanceMinutes: 8 * h, },
};

export interface ToolModel {
  readonly type: string;
  readonly idPrefix: string;
  readonly name: string;
  readonly area: Area;
  readonly count: number;
  readonly materials: readonly Material[];
  readonly waferSizes: readonly WaferSize[];
  readonly contaminationClass: ContaminationGroup;
  readonly batchCapacity?: number;
  /** Overrides of the area profile for this tool type. */
  readonly profile?: Partial<AreaProfile>;
}

const ALL: readonly Material[] = ['SiC', 'GaN', 'GaN-on-Si', 'Si'];
const GAN: readonly Material[] = ['GaN', 'GaN-on-Si'];

// One line per row, so the table reads as a table.
// prettier-ignore
export const CATALOGUE: readonly ToolModel[] = [
  { type: 'sic-epi', idPrefix: 'SICEPI', name: 'SiC hot-wall CVD epi reactor', area: 'epitaxy', count: 2, materials: ['SiC'], waferSizes: [150, 200], contaminationClass: 'standard', },
  { type: 'gan-mocvd', idPrefix: 'MOCVD', name: 'GaN MOCVD reactor', area: 'epitaxy', count: 2, materials: GAN, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'ht-implanter', idPrefix: 'IMPL', name: 'High-temperature ion implanter', area: 'implant', count: 1, materials: ['SiC', 'GaN'], waferSizes: [100, 150], contaminationClass: 'standard', profile: { maintenanceEveryDays: 30, maintenanceMinutes: 2 * d }, },
  { type: 'activation-furnace', idPrefix: 'ANNEAL', name: 'Activation anneal furnace 1700 °C', area: 'implant', count: 1, materials: ['SiC'], waferSizes: [100, 150], contaminationClass: 'standard', batchCapacity: 25, profile: { minMinutes: 2 * h, typicalMinutes: [3 * h, 8 * h], bufferAfterMinutes: 60 }, },
  { type: 'rta', idPrefix: 'RTA', name: 'Rapid thermal anneal', area: 'implant', count: 2, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'standard', profile: { typicalMinutes: [15, 90] }, },
  { type: 'gate-ox-furnace', idPrefix: 'GOX', name: 'Gate-oxide furnace with NO anneal', area: 'deposition', count: 1, materials: ['SiC'], waferSizes: [150, 200], contaminationClass: 'cmos-clean', batchCapacity: 25, profile: { minMinutes: 3 * h, typicalMinutes: [4 * h, 10 * h] }, },
  { type: 'lpcvd-poly', idPrefix: 'LPCVD', name: 'LPCVD polysilicon furnace', area: 'deposition', count: 1, materials: ['SiC', 'Si'], waferSizes: [150, 200], contaminationClass: 'cmos-clean', batchCapacity: 25, profile: { minMinutes: 3 * h, typicalMinutes: [3 * h, 8 * h] }, },
  { type: 'pecvd', idPrefix: 'PECVD', name: 'PECVD SiO2/SiN', area: 'deposition', count: 2, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'standard', profile: { seasoningMinutes: 20 }, },
  { type: 'ald', idPrefix: 'ALD', name: 'ALD Al2O3', area: 'deposition', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'sputter', idPrefix: 'SPUT', name: 'Magnetron sputter', area: 'deposition', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'ebeam-evaporator', idPrefix: 'EBEAM', name: 'E-beam evaporator', area: 'deposition', count: 2, materials: ALL, waferSizes: [100, 150], contaminationClass: 'standard', },
  { type: 'iline-stepper', idPrefix: 'STEP', name: 'i-line stepper', area: 'lithography', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'mask-aligner', idPrefix: 'ALIGN', name: 'Mask aligner', area: 'lithography', count: 2, materials: ALL, waferSizes: [100, 150], contaminationClass: 'au-metal', },
  { type: 'coater-track', idPrefix: 'TRACK', name: 'Coater/developer track', area: 'lithography', count: 1, materials: ALL, waferSizes: [150, 200], contaminationClass: 'standard', },
  { type: 'ebl', idPrefix: 'EBL', name: 'E-beam lithography', area: 'lithography', count: 1, materials: ALL, waferSizes: [100, 150], contaminationClass: 'standard', profile: { typicalMinutes: [2 * h, 6 * h], maxMinutes: 10 * h, approvalRequired: true }, },
  { type: 'icp-cl', idPrefix: 'ICPCL', name: 'ICP-RIE chlorine (GaN)', area: 'etch', count: 1, materials: GAN, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'icp-sic-trench', idPrefix: 'ICPSIC', name: 'ICP deep SiC trench etch', area: 'etch', count: 1, materials: ['SiC'], waferSizes: [150, 200], contaminationClass: 'standard', },
  { type: 'rie-f', idPrefix: 'RIEF', name: 'RIE fluorine', area: 'etch', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'asher', idPrefix: 'ASH', name: 'Plasma asher', area: 'etch', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', profile: { typicalMinutes: [15, 60], minMinutes: 15, bufferAfterMinutes: 0, seasoningMinutes: 0 }, },
  { type: 'rca-bench', idPrefix: 'RCA', name: 'RCA wet bench', area: 'wet', count: 1, materials: ['Si', 'SiC'], waferSizes: [100, 150, 200], contaminationClass: 'cmos-clean', },
  { type: 'gan-wet-bench', idPrefix: 'GANWET', name: 'GaN wet bench', area: 'wet', count: 1, materials: GAN, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'backgrinder', idPrefix: 'GRIND', name: 'Backgrinder', area: 'wet', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'dicing-saw', idPrefix: 'DICE', name: 'Dicing saw', area: 'wet', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'laser-anneal', idPrefix: 'LASER', name: 'Laser anneal', area: 'wet', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'standard', },
  { type: 'sem', idPrefix: 'SEM', name: 'Scanning electron microscope', area: 'metrology', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'afm', idPrefix: 'AFM', name: 'Atomic force microscope', area: 'metrology', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'xrd', idPrefix: 'XRD', name: 'X-ray diffractometer', area: 'metrology', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'ellipsometer', idPrefix: 'ELLI', name: 'Spectroscopic ellipsometer', area: 'metrology', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'sheet-resistance', idPrefix: 'RSMAP', name: 'Sheet-resistance mapper', area: 'metrology', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'defect-inspection', idPrefix: 'DEFECT', name: 'Defect inspection', area: 'metrology', count: 1, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
  { type: 'probe-station', idPrefix: 'PROBE', name: 'Parametric probe station', area: 'metrology', count: 2, materials: ALL, waferSizes: [100, 150, 200], contaminationClass: 'au-metal', },
];

export interface TenantModel {
  readonly id: string;
  readonly name: string;
  readonly class: TenantClass;
  readonly materials: readonly Material[];
  readonly users: number;
}

/** Higher is served first in repair: the institute's own teams, then paying industry, then universities. */
export const PRIORITY_BY_CLASS: Readonly<Record<TenantClass, number>> = {
  institute: 3,
  industry: 2,
  university: 1,
};

// One line per row, so the table reads as a table.
// prettier-ignore
export const TENANTS: readonly TenantModel[] = [
  { id: 'inst-power', name: 'Institute · SiC power devices team', class: 'institute', materials: ['SiC'], users: 5, },
  { id: 'inst-rf', name: 'Institute · GaN RF team', class: 'institute', materials: GAN, users: 4 },
  { id: 'inst-process', name: 'Institute · process integration team', class: 'institute', materials: ALL, users: 4, },
  { id: 'uni-harbour', name: 'Harbour University', class: 'university', materials: ['SiC', 'Si'], users: 3 },
  { id: 'uni-kowloon', name: 'Kowloon Institute of Technology', class: 'university', materials: GAN, users: 3, },
  { id: 'uni-lantau', name: 'Lantau University', class: 'university', materials: ALL, users: 2 },
  { id: 'uni-peak', name: 'Peak Polytechnic', class: 'university', materials: ['SiC', 'GaN'], users: 2 },
  { id: 'ind-apex', name: 'Apex Power Semiconductor', class: 'industry', materials: ['SiC'], users: 3 },
  { id: 'ind-bayside', name: 'Bayside RF Devices', class: 'industry', materials: GAN, users: 3 },
  { id: 'ind-jade', name: 'Jade Microsystems', class: 'industry', materials: ['GaN-on-Si', 'Si'], users: 2 },
  { id: 'ind-typhoon', name: 'Typhoon EV Drives', class: 'industry', materials: ['SiC'], users: 2 },
  { id: 'ind-orchid', name: 'Orchid Photonics', class: 'industry', materials: GAN, users: 2 },
  { id: 'ind-lionrock', name: 'Lion Rock Devices', class: 'industry', materials: ['SiC', 'GaN'], users: 2 },
];

export function profileOf(model: ToolModel): AreaProfile {
  return { ...AREAS[model.area], ...model.profile };
}
