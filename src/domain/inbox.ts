import { z } from 'zod';

// The in-app inbox: the same notifications the e-mails carry, in the same words, with read marks.

export const inboxEntrySchema = z
  .object({
    id: z.string(),
    kind: z.string().describe('The notification kind, e.g. booking.approved'),
    at: z.iso.datetime({ offset: true }),
    read: z.boolean(),
    subject: z.string(),
    paragraphs: z.array(z.string()),
    link: z.object({ label: z.string(), href: z.string().describe('Where in the UI it is about, e.g. /#/booking?id=…') }),
  })
  .meta({ id: 'InboxEntry' });
export type InboxEntry = z.infer<typeof inboxEntrySchema>;

export const inboxCountSchema = z.object({ unread: z.number().int().describe('Unread notifications of the caller') });
export type InboxCount = z.infer<typeof inboxCountSchema>;

export const inboxPageSchema = z.object({
  entries: z.array(inboxEntrySchema).describe('Newest first'),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  unread: z.number().int(),
});
export type InboxPage = z.infer<typeof inboxPageSchema>;
