import { z } from 'zod';
import { meSchema, roleSchema } from './actor.js';
import { entityId, instant, text } from './input.js';

// What people send and get back when they sign in, manage their profile and their API tokens.

export const passwordRules = { min: 10, max: 256 } as const;

/** An e-mail address as typed; compared without regard to case. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'must be an e-mail address' }))
  .transform((email) => email.toLowerCase());

/** A password being set: long enough to resist guessing, short enough to hash quickly. */
export const newPasswordSchema = text({ max: passwordRules.max }).min(passwordRules.min, {
  message: `must be at least ${passwordRules.min} characters`,
});

/** A password being checked: any length the form allows (the rules may have changed since it was set). */
const givenPasswordSchema = text({ max: passwordRules.max, min: 1 });

/** The secret of a one-time sign-in link, as the link carries it. */
const linkSecretSchema = z
  .string()
  .min(10)
  .max(100)
  .regex(/^[\w-]+$/, { message: 'must be the token of a sign-in link' });

export const signInBodySchema = z.object({ email: emailSchema, password: givenPasswordSchema });
export type SignInBody = z.infer<typeof signInBodySchema>;

export const redeemLinkBodySchema = z.object({ token: linkSecretSchema, password: newPasswordSchema });

/** The browser session: who, the token to send with every change (x-csrf-token), and when it ends. */
export const sessionViewSchema = z
  .object({ me: meSchema, csrfToken: z.string(), expiresAt: z.iso.datetime() })
  .meta({ id: 'Session' });
export type SessionView = z.infer<typeof sessionViewSchema>;

/** What the sign-in page offers: a password form always, an identity provider when configured. */
export const signInOptionsSchema = z.object({
  oidc: z.object({ label: z.string(), startUrl: z.string() }).nullable(),
});
export type SignInOptions = z.infer<typeof signInOptionsSchema>;

/** Why an identity provider's sign-in was refused (the sign-in page says it in words). */
export const oidcRefusals = ['unknown-user', 'deactivated', 'state', 'failed', 'unavailable'] as const;
export type OidcRefusal = (typeof oidcRefusals)[number];

/** A one-time link an administrator (or the person's tenant manager) hands to a person: it sets their password and signs them in. */
export const issuedLinkSchema = z
  .object({
    userId: z.string(),
    /** `welcome` for an account without a password, `reset` otherwise. */
    purpose: z.enum(['welcome', 'reset']),
    url: z.string(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'SignInLink' });
export type IssuedLink = z.infer<typeof issuedLinkSchema>;

export const profileSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    tenant: z.object({ id: z.string(), name: z.string() }),
    hasPassword: z.boolean(),
    /** The identity provider this account signs in with, if linked. */
    oidcIssuer: z.string().nullable(),
    lastSignInAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof profileSchema>;

export const profileChangeSchema = z
  .object({ name: text({ max: 100 }).trim().min(1).optional(), email: emailSchema.optional() })
  .refine((change) => change.name !== undefined || change.email !== undefined, { message: 'send a name or an email' });

export const passwordChangeSchema = z.object({
  /** Required when the account already has a password. */
  currentPassword: givenPasswordSchema.optional(),
  newPassword: newPasswordSchema,
});

export const tokenStates = ['active', 'expired', 'revoked'] as const;

/** An API token as listed: never its secret, never its hash. */
export const apiTokenViewSchema = z
  .object({
    id: z.uuid(),
    userId: z.string(),
    userName: z.string(),
    name: z.string(),
    state: z.enum(tokenStates),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiTokenView = z.infer<typeof apiTokenViewSchema>;

export const newTokenBodySchema = z.object({
  name: text({ max: 100 }).trim().min(1),
  /** Absent: valid until revoked. */
  expiresAt: instant().optional(),
});

/** A token just made: its secret is in this answer and nowhere else, ever. */
export const createdTokenSchema = z.object({ token: apiTokenViewSchema, secret: z.string() });
export type CreatedToken = z.infer<typeof createdTokenSchema>;

export const tokenListQuerySchema = z.object({
  /** Another user's tokens (admin only). */
  userId: entityId().optional(),
  /** Everyone's tokens (admin only). */
  all: z.enum(['true', 'false']).optional(),
});
