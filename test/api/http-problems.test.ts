import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPolicy, aTool, aUser, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

// The failures Fastify itself detects, before any route runs, answer in our shape too: every one
// application/problem+json with a stable code (api.call checks each against the document).

let world: ApiWorld;
let tess: TestUser;

beforeAll(async () => {
  world = await startApiWorld(new Date('2038-01-04T00:00:00Z'), async (db) => {
    await aTool(db, 'SEM-1', 'sem');
    await aPolicy(db, 'sem');
    tess = await aUser(db, 'tess', 'uni-t', 'tenant_user', ['sem']);
  }, { worker: false });
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

const problemOf = (response: { statusCode: number; headers: Record<string, unknown>; json(): { code: string; status: number } }) => {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json().status).toBe(response.statusCode);
  return response.json();
};

describe('generic failures as problems', () => {
  it('answers a 10,000-character path id with 414 URI_TOO_LONG', async () => {
    const response = await world.api.call('GET', `/api/bookings/${'a'.repeat(10_000)}`, { token: tess.token });
    expect(response.statusCode).toBe(414);
    expect(problemOf(response).code).toBe('URI_TOO_LONG');
  });

  it('answers a method the path does not have with 405 and Allow', async () => {
    const booking = await world.api.call('DELETE', `/api/bookings/${randomUUID()}`, { token: tess.token });
    expect(booking.statusCode).toBe(405);
    expect(problemOf(booking).code).toBe('METHOD_NOT_ALLOWED');
    expect(booking.headers.allow).toMatch(/\bGET\b/);
    const list = await world.api.call('PUT', '/api/bookings', { token: tess.token, body: {} });
    expect(list.statusCode).toBe(405);
    expect(String(list.headers.allow).split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST']));
    const action = await world.api.call('GET', `/api/bookings/${randomUUID()}/approve`, { token: tess.token });
    expect(action.statusCode).toBe(405);
    expect(action.headers.allow).toMatch(/\bPOST\b/);
  });

  it('answers an unknown path with 404 NOT_FOUND', async () => {
    const response = await world.api.call('GET', '/api/nothing-here', { token: tess.token });
    expect(response.statusCode).toBe(404);
    expect(problemOf(response).code).toBe('NOT_FOUND');
  });

  it('answers a body that is not JSON, of another type, or too large, and a badly encoded URL', async () => {
    const headers = (type: string) => ({ 'content-type': type });
    const badJson = await world.api.call('POST', '/api/bookings', { token: tess.token, payload: '{"requestId": ', headers: headers('application/json') });
    expect(badJson.statusCode).toBe(422);
    expect(problemOf(badJson).code).toBe('VALIDATION_FAILED');
    const xml = await world.api.call('POST', '/api/bookings', { token: tess.token, payload: '<booking/>', headers: headers('application/xml') });
    expect(xml.statusCode).toBe(415);
    expect(problemOf(xml).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // A route that takes no body still refuses one of another type, before it runs: documented too.
    const bodiless = await world.api.call('POST', `/api/tokens/${randomUUID()}/revoke`, { token: tess.token, payload: 'a=b', headers: headers('application/x-www-form-urlencoded') });
    expect(bodiless.statusCode).toBe(415);
    expect(problemOf(bodiless).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const huge = await world.api.call('POST', '/api/bookings', {
      token: tess.token,
      payload: JSON.stringify({ purpose: 'x'.repeat(300 * 1024) }),
      headers: headers('application/json'),
    });
    expect(huge.statusCode).toBe(413);
    expect(problemOf(huge).code).toBe('PAYLOAD_TOO_LARGE');
    const badUrl = await world.api.call('GET', '/api/bookings/%E0%A4%A', { token: tess.token });
    expect(badUrl.statusCode).toBe(422);
    expect(problemOf(badUrl).code).toBe('VALIDATION_FAILED');
  });

  it('answers a JSON body of the wrong shape (a string, an array, null) with 422', async () => {
    for (const payload of ['"book me"', '[1,2]', 'null', '42']) {
      const response = await world.api.call('POST', '/api/bookings', { token: tess.token, payload, headers: { 'content-type': 'application/json' } });
      expect(response.statusCode, payload).toBe(422);
      expect(problemOf(response).code).toBe('VALIDATION_FAILED');
    }
  });
});
