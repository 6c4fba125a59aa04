import { hash, verify, type Algorithm } from '@node-rs/argon2';

// argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): ~10 ms here.
const options = {
  // Argon2id: a const enum the isolated build cannot import by name.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Checked when there is no account or no password, so a wrong e-mail takes as long as a wrong password.
let decoy: Promise<string> | undefined;

/** Whether `password` matches `stored` (a PHC string); false when nothing is stored. */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword('no account has this password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
