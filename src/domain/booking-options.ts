import { z } from 'zod';

// What the request form starts from: the tools a person may book (qualified, until when), each
// type's rules and the tenant's quota left this week, and the wafers they usually bring.

const isoInstant = z.iso.datetime({ offset: true });

export const bookingOptionsSchema = z
  .object({
    at: isoInstant,
    recent: z
      .object({ material: z.string(), waferSize: z.number().int(), contaminationGroup: z.string(), toolTypeId: z.string() })
      .nullable()
      .describe('What the caller booked last: the form starts from it'),
    materials: z.array(z.string()).describe('Materials the caller booked lately, most recent first'),
    toolTypes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        area: z.string(),
        qualified: z.boolean().describe('The caller may run at least one tool of this type now'),
        tools: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            materials: z.array(z.string()),
            waferSizes: z.array(z.number().int()),
            contaminationClass: z.string(),
            status: z.string(),
            qualified: z.boolean(),
            qualifiedUntil: isoInstant.nullable().describe('When the caller’s qualification on this tool ends; null: it does not (or none)'),
          }),
        ),
        policy: z
          .object({
            minDurationMin: z.number().int(),
            maxDurationMin: z.number().int(),
            minNoticeMin: z.number().int(),
            maxAdvanceMin: z.number().int(),
            bufferAfterMin: z.number().int(),
            approvalRequired: z.boolean(),
            lateCancelMin: z.number().int(),
            checkInGraceMin: z.number().int(),
            startGridMin: z.number().int().describe('Starts are offered on this grid (minutes)'),
          })
          .nullable()
          .describe("The type's booking rules; null: none set"),
        quota: z.object({
          weekStart: isoInstant.describe('Monday 00:00 Hong Kong time of this quota week'),
          limitMin: z.number().int().nullable().describe("The tenant's weekly minutes on this type; null: no quota"),
          usedMin: z.number().int().describe('Booked or used by the tenant this week'),
          leftMin: z.number().int().nullable(),
        }),
        rate: z.object({ hourlyRateCents: z.number().int(), currency: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'BookingOptions' });
export type BookingOptions = z.infer<typeof bookingOptionsSchema>;
