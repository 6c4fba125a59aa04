// The pilot line Pilotline is demonstrated and tested on: the SiC/GaN line of DESIGN.md with
// invented but plausible names. Plain data; `seedCatalogue` writes it.
import type { Role } from '../domain/roles.js';
import type { ContaminationGroup, Material, TenantClass, WaferSize } from '../solver/model.js';

export interface CatalogueToolType {
  id: string;
  name: string;
  area: 'epitaxy' | 'implant' | 'deposition' | 'lithography' | 'etch' | 'wet' | 'metrology';
  tools: Array<{
    id: string;
    name: string;
    materials: Material[];
    waferSizes: WaferSize[];
    contaminationClass: ContaminationGroup;
    batchCapacity?: number;
    /** Tools a booking of this one holds alongside it, for the same interval. */
    links?: string[];
  }>;
  /** Which booking rules apply (see `policyTemplates`). */
  policy: keyof typeof policyTemplates;
  /** Hourly rate for research tenants (institute, universities), in HK cents; industry pays `commercialFactor` times it. */
  researchRateCents: number;
  requiresRequalification?: boolean;
  /** Preventive maintenance: every N days for M minutes. */
  pm: { everyDays: number; durationMin: number };
  /** Changeovers on every tool of the type, e.g. chamber seasoning when the material changes. */
  setups?: Array<{ dimension: 'material' | 'contamination'; from: string; to: string; minutes: number }>;
}

const h = 60;
const day = 24 * h;
const SiC: Material = 'SiC';
const GaN: Material = 'GaN';
const GaNonSi: Material = 'GaN-on-Si';
const Si: Material = 'Si';
const all: Material[] = [SiC, GaN, GaNonSi, Si];

export const commercialFactor = 2.5;

/** Booking rules by family of tools (minutes). */
export const policyTemplates = {
  epitaxy: {
    minDurationMin: 4 * h, maxDurationMin: 12 * h, minNoticeMin: 24 * h, maxAdvanceMin: 14 * day,
    bufferAfterMin: 60, weeklyQuotaMin: 36 * h, approvalRequired: true, approvalTimeoutMin: 2 * day,
    // Runs start on the hour: the reactor's bake and the shift plan are hourly.
    startGridMin: 60,
  },
  bottleneck: {
    minDurationMin: 30, maxDurationMin: 8 * h, minNoticeMin: 4 * h, maxAdvanceMin: 28 * day,
    bufferAfterMin: 15, weeklyQuotaMin: 16 * h, approvalRequired: true, approvalTimeoutMin: 1 * day,
  },
  furnace: {
    minDurationMin: 2 * h, maxDurationMin: 16 * h, minNoticeMin: 12 * h, maxAdvanceMin: 28 * day,
    bufferAfterMin: 30, weeklyQuotaMin: null, approvalRequired: false, approvalTimeoutMin: 1 * day,
    startGridMin: 60,
  },
  process: {
    minDurationMin: 30, maxDurationMin: 8 * h, minNoticeMin: 2 * h, maxAdvanceMin: 42 * day,
    bufferAfterMin: 0, weeklyQuotaMin: 20 * h, approvalRequired: false, approvalTimeoutMin: 1 * day,
  },
  etch: {
    minDurationMin: 30, maxDurationMin: 6 * h, minNoticeMin: 2 * h, maxAdvanceMin: 42 * day,
    bufferAfterMin: 15, weeklyQuotaMin: 20 * h, approvalRequired: false, approvalTimeoutMin: 1 * day,
  },
  metrology: {
    minDurationMin: 15, maxDurationMin: 4 * h, minNoticeMin: 1 * h, maxAdvanceMin: 28 * day,
    bufferAfterMin: 0, weeklyQuotaMin: 12 * h, approvalRequired: false, approvalTimeoutMin: 1 * day,
  },
} as const;

const seasoning = [{ dimension: 'material' as const, from: 'any', to: 'any', minutes: 30 }];

export const toolTypes: CatalogueToolType[] = [
  // Epitaxy: 4–12 h runs, material-dedicated chambers, a bake after every run (the buffer).
  { id: 'sic-cvd', name: 'SiC hot-wall CVD epitaxy reactor', area: 'epitaxy', policy: 'epitaxy', researchRateCents: 180_000,
    requiresRequalification: true, pm: { everyDays: 14, durationMin: 8 * h },
    tools: [
      { id: 'EPI-SIC-1', name: 'Hot-wall SiC epi reactor 1', materials: [SiC], waferSizes: [100, 150], contaminationClass: 'standard' },
      { id: 'EPI-SIC-2', name: 'Hot-wall SiC epi reactor 2', materials: [SiC], waferSizes: [150, 200], contaminationClass: 'standard' },
    ] },
  { id: 'gan-mocvd', name: 'GaN MOCVD reactor', area: 'epitaxy', policy: 'epitaxy', researchRateCents: 200_000,
    requiresRequalification: true, pm: { everyDays: 14, durationMin: 8 * h },
    tools: [
      { id: 'MOCVD-1', name: 'Close-coupled showerhead MOCVD 1', materials: [GaN, GaNonSi], waferSizes: [100, 150], contaminationClass: 'standard' },
      { id: 'MOCVD-2', name: 'Planetary MOCVD 2', materials: [GaN, GaNonSi], waferSizes: [150, 200], contaminationClass: 'standard' },
    ] },
  // Implant and anneal: the implanter is the classic bottleneck.
  { id: 'implanter', name: 'High-temperature ion implanter', area: 'implant', policy: 'bottleneck', researchRateCents: 120_000,
    requiresRequalification: true, pm: { everyDays: 30, durationMin: 2 * day },
    tools: [{ id: 'IMP-1', name: 'Hot implanter (500 °C chuck)', materials: [SiC, GaN, Si], waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'activation-furnace', name: 'Activation anneal furnace 1700 °C', area: 'implant', policy: 'furnace', researchRateCents: 60_000,
    pm: { everyDays: 90, durationMin: 8 * h },
    tools: [{ id: 'ANNEAL-1', name: 'Activation furnace 1700 °C', materials: [SiC], waferSizes: [100, 150, 200], contaminationClass: 'standard', batchCapacity: 25 }] },
  { id: 'rta', name: 'Rapid thermal anneal', area: 'implant', policy: 'process', researchRateCents: 30_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [
      { id: 'RTA-1', name: 'RTA 1', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' },
      { id: 'RTA-2', name: 'RTA 2 (contact alloy)', materials: all, waferSizes: [100, 150], contaminationClass: 'au-metal' },
    ] },
  // Oxidation and deposition.
  { id: 'gate-oxide-furnace', name: 'Gate-oxide furnace with NO anneal', area: 'deposition', policy: 'furnace', researchRateCents: 70_000,
    pm: { everyDays: 90, durationMin: 8 * h },
    tools: [{ id: 'OX-1', name: 'Gate-oxide furnace (NO anneal)', materials: [SiC], waferSizes: [100, 150, 200], contaminationClass: 'cmos-clean', batchCapacity: 25, links: ['LOAD-OX-1'] }] },
  // The gate-oxide furnace's boat load station: booked with every furnace run (linked tool).
  { id: 'furnace-load-station', name: 'Furnace boat load station', area: 'deposition', policy: 'furnace', researchRateCents: 5_000,
    pm: { everyDays: 90, durationMin: 2 * h },
    tools: [{ id: 'LOAD-OX-1', name: 'Boat load station of the gate-oxide furnace', materials: [SiC, Si], waferSizes: [100, 150, 200], contaminationClass: 'cmos-clean' }] },
  { id: 'lpcvd-poly', name: 'LPCVD polysilicon', area: 'deposition', policy: 'furnace', researchRateCents: 50_000,
    pm: { everyDays: 90, durationMin: 8 * h },
    tools: [{ id: 'LPCVD-1', name: 'LPCVD poly furnace', materials: [SiC, Si], waferSizes: [100, 150, 200], contaminationClass: 'cmos-clean', batchCapacity: 25 }] },
  { id: 'pecvd', name: 'PECVD SiO₂/SiN', area: 'deposition', policy: 'process', researchRateCents: 35_000,
    pm: { everyDays: 90, durationMin: 6 * h }, setups: seasoning,
    tools: [
      { id: 'PECVD-1', name: 'PECVD oxide/nitride 1', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' },
      { id: 'PECVD-2', name: 'PECVD oxide/nitride 2', materials: all, waferSizes: [100, 150], contaminationClass: 'standard' },
    ] },
  { id: 'ald', name: 'ALD Al₂O₃', area: 'deposition', policy: 'process', researchRateCents: 40_000,
    pm: { everyDays: 90, durationMin: 6 * h },
    tools: [{ id: 'ALD-1', name: 'Thermal/plasma ALD', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'sputter', name: 'Magnetron sputter', area: 'deposition', policy: 'process', researchRateCents: 35_000,
    pm: { everyDays: 90, durationMin: 6 * h },
    tools: [{ id: 'SPUTTER-1', name: 'Multi-target sputter', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'ebeam-evaporator', name: 'E-beam evaporator', area: 'deposition', policy: 'process', researchRateCents: 30_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [
      // Gold is allowed in one evaporator only.
      { id: 'EBEAM-1', name: 'E-beam evaporator 1 (Au allowed)', materials: all, waferSizes: [100, 150], contaminationClass: 'au-metal' },
      { id: 'EBEAM-2', name: 'E-beam evaporator 2 (Au-free)', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' },
    ] },
  // Lithography.
  { id: 'stepper', name: 'i-line stepper', area: 'lithography', policy: 'process', researchRateCents: 60_000,
    pm: { everyDays: 90, durationMin: 8 * h },
    tools: [{ id: 'STEPPER-1', name: 'i-line stepper', materials: all, waferSizes: [100, 150], contaminationClass: 'standard', links: ['RETICLE-1'] }] },
  // The stepper's reticle library slot: booked with every stepper run (linked tool).
  { id: 'reticle-slot', name: 'Stepper reticle slot', area: 'lithography', policy: 'process', researchRateCents: 5_000,
    pm: { everyDays: 90, durationMin: 2 * h },
    tools: [{ id: 'RETICLE-1', name: 'Reticle slot of the i-line stepper', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'au-metal' }] },
  { id: 'mask-aligner', name: 'Mask aligner', area: 'lithography', policy: 'process', researchRateCents: 20_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [
      { id: 'ALIGNER-1', name: 'Mask aligner 1', materials: all, waferSizes: [100, 150], contaminationClass: 'standard' },
      { id: 'ALIGNER-2', name: 'Mask aligner 2', materials: all, waferSizes: [100, 150], contaminationClass: 'au-metal' },
    ] },
  { id: 'coater-track', name: 'Coater/developer track', area: 'lithography', policy: 'process', researchRateCents: 25_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: 'TRACK-1', name: 'Coater/developer track', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'ebl', name: 'E-beam lithography', area: 'lithography', policy: 'bottleneck', researchRateCents: 90_000,
    pm: { everyDays: 90, durationMin: 8 * h },
    tools: [{ id: 'EBL-1', name: '100 kV e-beam writer', materials: all, waferSizes: [100, 150], contaminationClass: 'standard' }] },
  // Etch: seasoning when the material changes, 15 min buffer after every booking.
  { id: 'icp-cl', name: 'ICP-RIE chlorine (GaN)', area: 'etch', policy: 'etch', researchRateCents: 45_000,
    pm: { everyDays: 90, durationMin: 6 * h }, setups: seasoning,
    tools: [{ id: 'ICP-GAN-1', name: 'ICP-RIE Cl₂/BCl₃', materials: [GaN, GaNonSi], waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'icp-sic-trench', name: 'ICP deep SiC trench etch', area: 'etch', policy: 'etch', researchRateCents: 50_000,
    pm: { everyDays: 90, durationMin: 6 * h }, setups: seasoning,
    tools: [{ id: 'ICP-SIC-1', name: 'ICP SF₆/O₂ trench etch', materials: [SiC], waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'rie-f', name: 'RIE fluorine', area: 'etch', policy: 'etch', researchRateCents: 30_000,
    pm: { everyDays: 90, durationMin: 4 * h }, setups: seasoning,
    tools: [{ id: 'RIE-1', name: 'RIE CF₄/CHF₃', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'asher', name: 'O₂ plasma asher', area: 'etch', policy: 'process', researchRateCents: 15_000,
    pm: { everyDays: 90, durationMin: 2 * h },
    tools: [{ id: 'ASHER-1', name: 'Barrel asher', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'au-metal' }] },
  // Wet and back-end.
  { id: 'rca-bench', name: 'RCA wet bench (Si/SiC only)', area: 'wet', policy: 'process', researchRateCents: 15_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: 'WET-RCA-1', name: 'RCA clean bench', materials: [Si, SiC], waferSizes: [100, 150, 200], contaminationClass: 'cmos-clean' }] },
  { id: 'gan-wet-bench', name: 'GaN wet bench', area: 'wet', policy: 'process', researchRateCents: 15_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: 'WET-GAN-1', name: 'GaN wet bench', materials: [GaN, GaNonSi], waferSizes: [100, 150, 200], contaminationClass: 'standard' }] },
  { id: 'backgrinder', name: 'Backgrinder', area: 'wet', policy: 'process', researchRateCents: 25_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: 'GRIND-1', name: 'Wafer backgrinder', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'au-metal' }] },
  { id: 'dicing-saw', name: 'Dicing saw', area: 'wet', policy: 'process', researchRateCents: 20_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: 'DICE-1', name: 'Dicing saw', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'au-metal' }] },
  { id: 'laser-anneal', name: 'Laser anneal (backside ohmic)', area: 'wet', policy: 'process', researchRateCents: 40_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: 'LASER-1', name: 'UV laser anneal', materials: [SiC], waferSizes: [100, 150, 200], contaminationClass: 'au-metal' }] },
  // Metrology and test: short bookings, high demand.
  ...(
    [
      ['sem', 'Scanning electron microscope', 'SEM-1', 'Field-emission SEM'],
      ['afm', 'Atomic force microscope', 'AFM-1', 'AFM'],
      ['xrd', 'X-ray diffractometer', 'XRD-1', 'High-resolution XRD'],
      ['ellipsometer', 'Spectroscopic ellipsometer', 'ELLIPS-1', 'Spectroscopic ellipsometer'],
      ['sheet-resistance', 'Sheet-resistance mapper', 'RSHEET-1', '4-point-probe sheet-resistance mapper'],
      ['defect-inspection', 'Defect inspection', 'DEFECT-1', 'Wafer defect inspection (PL + DIC)'],
    ] as const
  ).map(([id, name, toolId, toolName]): CatalogueToolType => ({
    id, name, area: 'metrology', policy: 'metrology', researchRateCents: 12_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [{ id: toolId, name: toolName, materials: all, waferSizes: [100, 150, 200], contaminationClass: 'au-metal' }],
  })),
  { id: 'probe-station', name: 'Parametric probe station', area: 'metrology', policy: 'metrology', researchRateCents: 15_000,
    pm: { everyDays: 90, durationMin: 4 * h },
    tools: [
      { id: 'PROBE-1', name: 'Parametric probe station 1 (high voltage)', materials: all, waferSizes: [100, 150, 200], contaminationClass: 'au-metal' },
      { id: 'PROBE-2', name: 'Parametric probe station 2 (RF)', materials: all, waferSizes: [100, 150], contaminationClass: 'au-metal' },
    ] },
];

export interface CatalogueTenant {
  id: string;
  name: string;
  class: TenantClass;
  priority: number;
  contact: { name: string; email: string; phone: string };
  /** The grant or cost centre the tenant's people charge; every tenant user belongs to it. */
  project: { code: string; name: string; kind: 'grant' | 'cost_centre' };
  users: Array<{ id: string; name: string; role: Role; qualifiedOn: string[] }>;
}

const metrologyTypes = ['sem', 'afm', 'xrd', 'ellipsometer', 'sheet-resistance', 'defect-inspection', 'probe-station'];
const sicFlow = ['sic-cvd', 'implanter', 'activation-furnace', 'gate-oxide-furnace', 'furnace-load-station', 'lpcvd-poly', 'icp-sic-trench', 'rie-f', 'rca-bench', 'laser-anneal', 'sputter', 'rta', 'backgrinder', 'dicing-saw'];
const ganFlow = ['gan-mocvd', 'icp-cl', 'rie-f', 'gan-wet-bench', 'ebeam-evaporator', 'ald', 'pecvd', 'rta', 'stepper', 'reticle-slot', 'coater-track', 'mask-aligner', 'asher', 'dicing-saw'];

export const tenants: CatalogueTenant[] = [
  { id: 'inst-ops', name: 'Microelectronics Centre operations', class: 'institute', priority: 3,
    contact: { name: 'Dr. Winnie Chan', email: 'labs@mec.pilotline.example', phone: '+852 3900 1000' },
    project: { code: 'OPS-CC-100', name: 'Line operations', kind: 'cost_centre' },
    users: [
    { id: 'mgr-chan', name: 'Dr. Winnie Chan (lab manager)', role: 'lab_manager', qualifiedOn: [] },
    { id: 'mgr-lau', name: 'Dr. Kelvin Lau (lab manager)', role: 'lab_manager', qualifiedOn: [] },
    { id: 'ops-ho', name: 'Ho Ka-ming (equipment engineer)', role: 'ops', qualifiedOn: [] },
    { id: 'ops-wong', name: 'Wong Siu-fai (equipment engineer)', role: 'ops', qualifiedOn: [] },
    { id: 'admin', name: 'Pilotline administrator', role: 'admin', qualifiedOn: [] },
  ] },
  { id: 'inst-power', name: 'Institute — SiC Power Devices team', class: 'institute', priority: 2,
    contact: { name: 'Dr. Tang Mei-ling', email: 'sic-power@mec.pilotline.example', phone: '+852 3900 1210' },
    project: { code: 'INST-SIC-24', name: '1200 V SiC MOSFET platform', kind: 'cost_centre' },
    users: [
    { id: 'pwr-tang', name: 'Tang Mei-ling', role: 'tenant_user', qualifiedOn: [...sicFlow, ...metrologyTypes] },
  ] },
  { id: 'inst-rf', name: 'Institute — GaN RF team', class: 'institute', priority: 2,
    contact: { name: 'Cheung Wai-lun', email: 'gan-rf@mec.pilotline.example', phone: '+852 3900 1230' },
    project: { code: 'INST-GANRF-24', name: 'GaN HEMT for 5G front ends', kind: 'cost_centre' },
    users: [
    { id: 'rf-cheung', name: 'Cheung Wai-lun', role: 'tenant_user', qualifiedOn: [...ganFlow, ...metrologyTypes, 'ebl'] },
  ] },
  { id: 'uni-harbour', name: 'Victoria Harbour University', class: 'university', priority: 1,
    contact: { name: 'Prof. Li Jun', email: 'li.jun@vhu.pilotline.example', phone: '+852 2859 2000' },
    project: { code: 'RGC-GRF-17203724', name: 'Vertical GaN power devices', kind: 'grant' },
    users: [
    { id: 'vhu-li', name: 'Prof. Li Jun', role: 'tenant_user', qualifiedOn: [...ganFlow, ...metrologyTypes] },
    { id: 'vhu-student', name: 'Ng Hoi-yan (PhD student)', role: 'tenant_user', qualifiedOn: metrologyTypes },
    { id: 'vhu-manager', name: 'Dr. So Ka-lok (group manager)', role: 'tenant_manager', qualifiedOn: [] },
  ] },
  { id: 'uni-lionrock', name: 'Lion Rock University of Science', class: 'university', priority: 1,
    contact: { name: 'Dr. Chow Tsz-kin', email: 'tk.chow@lru.pilotline.example', phone: '+852 2358 6000' },
    project: { code: 'ITF-ITS-118-23', name: 'SiC trench gate reliability', kind: 'grant' },
    users: [
    { id: 'lru-chow', name: 'Dr. Chow Tsz-kin', role: 'tenant_user', qualifiedOn: [...sicFlow, ...metrologyTypes] },
  ] },
  { id: 'uni-pearl', name: 'Pearl Delta Polytechnic', class: 'university', priority: 1,
    contact: { name: 'Yip Ka-wai', email: 'kw.yip@pdp.pilotline.example', phone: '+852 2766 5111' },
    project: { code: 'PDP-SEED-2024-07', name: 'Micro-LED lithography', kind: 'grant' },
    users: [
    { id: 'pdp-yip', name: 'Yip Ka-wai', role: 'tenant_user', qualifiedOn: ['stepper', 'reticle-slot', 'coater-track', 'mask-aligner', 'ebl', ...metrologyTypes] },
  ] },
  { id: 'uni-kowloon', name: 'Kowloon Institute of Technology', class: 'university', priority: 1,
    contact: { name: 'Mak Chun-hei', email: 'ch.mak@kit.pilotline.example', phone: '+852 3442 7000' },
    project: { code: 'RGC-ECS-21205124', name: 'GaN-on-Si for RF', kind: 'grant' },
    users: [
    { id: 'kit-mak', name: 'Mak Chun-hei', role: 'tenant_user', qualifiedOn: [...ganFlow, ...metrologyTypes] },
  ] },
  { id: 'co-sinowave', name: 'Sinowave Power Semiconductors', class: 'industry', priority: 1,
    contact: { name: 'Zhou Lei', email: 'fab@sinowave.pilotline.example', phone: '+852 3700 8800' },
    project: { code: 'SW-PO-4471', name: 'SiC diode qualification lots', kind: 'cost_centre' },
    users: [
    { id: 'sw-zhou', name: 'Zhou Lei', role: 'tenant_user', qualifiedOn: [...sicFlow, ...metrologyTypes] },
  ] },
  { id: 'co-peak', name: 'Peak Photonics', class: 'industry', priority: 1,
    contact: { name: 'Ho Yuen-ting', email: 'ops@peakphotonics.pilotline.example', phone: '+852 3700 8810' },
    project: { code: 'PK-2024-019', name: 'GaN laser diodes', kind: 'cost_centre' },
    users: [
    { id: 'pk-ho', name: 'Ho Yuen-ting', role: 'tenant_user', qualifiedOn: [...ganFlow, ...metrologyTypes] },
  ] },
  { id: 'co-taipo', name: 'Tai Po Power Devices', class: 'industry', priority: 1,
    contact: { name: 'Lam Chi-keung', email: 'eng@taipopower.pilotline.example', phone: '+852 3700 8820' },
    project: { code: 'TP-ENG-0932', name: 'SiC MOSFET second source', kind: 'cost_centre' },
    users: [
    { id: 'tp-lam', name: 'Lam Chi-keung', role: 'tenant_user', qualifiedOn: [...sicFlow, ...metrologyTypes] },
  ] },
  { id: 'co-lantau', name: 'Lantau RF Systems', class: 'industry', priority: 1,
    contact: { name: 'Fung Wing-sze', email: 'rf@lantau.pilotline.example', phone: '+852 3700 8830' },
    project: { code: 'LT-RF-2211', name: 'GaN PA prototypes', kind: 'cost_centre' },
    users: [
    { id: 'lt-fung', name: 'Fung Wing-sze', role: 'tenant_user', qualifiedOn: [...ganFlow, ...metrologyTypes] },
  ] },
  { id: 'co-aberdeen', name: 'Aberdeen Automotive Electronics', class: 'industry', priority: 1,
    contact: { name: 'Kwok Hiu-lam', email: 'pm@aberdeen-ae.pilotline.example', phone: '+852 3700 8840' },
    project: { code: 'AAE-P-6610', name: 'Automotive SiC modules', kind: 'cost_centre' },
    users: [
    { id: 'ab-kwok', name: 'Kwok Hiu-lam', role: 'tenant_user', qualifiedOn: [...sicFlow, ...metrologyTypes] },
  ] },
  { id: 'co-tsuenwan', name: 'Tsuen Wan MicroLED', class: 'industry', priority: 1,
    contact: { name: 'Leung Sze-wan', email: 'tech@twmicroled.pilotline.example', phone: '+852 3700 8850' },
    project: { code: 'TW-NPI-0077', name: 'Micro-LED epitaxy', kind: 'cost_centre' },
    users: [
    { id: 'tw-leung', name: 'Leung Sze-wan', role: 'tenant_user', qualifiedOn: ['gan-mocvd', 'icp-cl', 'stepper', 'coater-track', ...metrologyTypes] },
  ] },
];
