// What wafers are made of and carry: small enums shared by the solver model and the request schemas,
// in a module of their own so the workflow bundle validates requests without evaluating the model.
import { z } from 'zod';

export const MaterialSchema = z.enum(['SiC', 'GaN', 'GaN-on-Si', 'Si']);
export type Material = z.infer<typeof MaterialSchema>;

export const WaferSizeSchema = z.literal([100, 150, 200]);
export type WaferSize = z.infer<typeof WaferSizeSchema>;

/** Ordered from cleanest to dirtiest: a tool accepts wafers up to its own contamination class. */
export const ContaminationGroupSchema = z.enum(['cmos-clean', 'standard', 'au-metal']);
export type ContaminationGroup = z.infer<typeof ContaminationGroupSchema>;
