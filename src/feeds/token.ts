import { createHash, randomBytes } from 'node:crypto';

// A feed's secret: 24 random bytes in the URL, only their SHA-256 in the database.

export function newFeedToken(): { token: string; hash: string } {
  const token = `plcal_${randomBytes(24).toString('base64url')}`;
  return { token, hash: hashFeedToken(token) };
}

export function hashFeedToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function feedUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/calendar/${token}.ics`;
}
