// The process flows of the pilot line as lot route templates: a SiC power MOSFET front end and a GaN
// HEMT on the seed's tool types, with the Q-time limits a fab keeps (a clean is followed by the step
// it prepares within hours). Plain data; `seedCatalogue` writes it.
import type { LotStepRequest } from '../domain/lot.js';
import type { ContaminationGroup, Material, WaferSize } from '../solver/model.js';

export interface CatalogueRouteTemplate {
  id: string;
  name: string;
  description: string;
  material: Material;
  waferSize: WaferSize;
  contaminationGroup: ContaminationGroup;
  steps: Array<Omit<LotStepRequest, 'minLagToNextMin'> & { minLagToNextMin?: number }>;
}

const h = 60;

export const routeTemplates: CatalogueRouteTemplate[] = [
  {
    id: 'sic-mosfet-front-end',
    name: 'SiC power MOSFET — front end',
    description: 'Drift-layer epitaxy, p-well implant and activation, gate stack. Cleans are followed by the step they prepare within the Q-time.',
    material: 'SiC',
    waferSize: 150,
    // The gate-oxide and poly furnaces take CMOS-clean wafers only.
    contaminationGroup: 'cmos-clean',
    steps: [
      { name: 'Pre-epi RCA clean', toolTypeId: 'rca-bench', durationMin: 60, maxLagToNextMin: 4 * h },
      { name: 'Drift-layer epitaxy', toolTypeId: 'sic-cvd', durationMin: 8 * h },
      { name: 'Epi defect inspection', toolTypeId: 'defect-inspection', durationMin: 60 },
      { name: 'Al implant (p-well)', toolTypeId: 'implanter', durationMin: 4 * h },
      { name: 'Activation anneal 1700 °C', toolTypeId: 'activation-furnace', durationMin: 6 * h },
      { name: 'Pre-gate RCA clean', toolTypeId: 'rca-bench', durationMin: 60, maxLagToNextMin: 2 * h },
      { name: 'Gate oxidation with NO anneal', toolTypeId: 'gate-oxide-furnace', durationMin: 8 * h, maxLagToNextMin: 8 * h },
      { name: 'Poly-Si gate deposition', toolTypeId: 'lpcvd-poly', durationMin: 4 * h },
      { name: 'Gate etch', toolTypeId: 'rie-f', durationMin: 90 },
      { name: 'Gate stack thickness', toolTypeId: 'ellipsometer', durationMin: 30 },
    ],
  },
  {
    id: 'gan-hemt',
    name: 'GaN HEMT',
    description: 'Heterostructure growth, mesa isolation, gate dielectric and passivation, Ti/Al/Ni/Au ohmics and their anneal, then DC probing.',
    material: 'GaN',
    waferSize: 150,
    contaminationGroup: 'standard',
    steps: [
      { name: 'AlGaN/GaN heterostructure MOCVD', toolTypeId: 'gan-mocvd', durationMin: 10 * h },
      { name: 'XRD rocking curve', toolTypeId: 'xrd', durationMin: 60 },
      { name: 'Mesa isolation etch', toolTypeId: 'icp-cl', durationMin: 90 },
      { name: 'Surface clean', toolTypeId: 'gan-wet-bench', durationMin: 45, maxLagToNextMin: 2 * h },
      { name: 'ALD Al₂O₃ gate dielectric', toolTypeId: 'ald', durationMin: 2 * h, maxLagToNextMin: 4 * h },
      { name: 'SiN passivation', toolTypeId: 'pecvd', durationMin: 90 },
      // From here on the wafers carry gold: only tools that accept Au.
      { name: 'Ohmic metal Ti/Al/Ni/Au', toolTypeId: 'ebeam-evaporator', durationMin: 2 * h, maxLagToNextMin: 2 * h, contaminationGroup: 'au-metal' },
      { name: 'Ohmic anneal', toolTypeId: 'rta', durationMin: 30, contaminationGroup: 'au-metal' },
      { name: 'DC probing', toolTypeId: 'probe-station', durationMin: 2 * h, contaminationGroup: 'au-metal' },
    ],
  },
];
