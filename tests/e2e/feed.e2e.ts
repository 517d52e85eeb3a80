// The partner capacity feed: keys issued in the admin screen, the JSON it returns, a revoked key
// refused with 401 and the rate limit answered with 429 and Retry-After.
import { expect, test, type Page } from '@playwright/test';
import { signIn, sql, text, unique } from './support/admin';

async function issueKey(page: Page, partner: string, perMinute: number): Promise<string> {
  await page.goto('/admin/partners');
  await page.locator('#partnerName').fill(partner);
  await page.locator('#limit').fill(String(perMinute));
  await page.getByRole('button', { name: text('fi', 'admin_partners_issue_submit') }).click();
  const key = (await page.getByTestId('issued-key-value').innerText()).trim();
  expect(key).toMatch(/^suoja_feed_[0-9a-f]{64}$/);
  return key;
}

test('without a key, or with a made-up one, the feed answers 401', async ({ request }) => {
  const missing = await request.get('/api/feed/capacity');
  expect(missing.status()).toBe(401);
  expect(await missing.json()).toMatchObject({ error: 'missing_key' });
  expect(missing.headers()['www-authenticate']).toContain('Bearer');
  const invented = await request.get('/api/feed/capacity', { headers: { authorization: `Bearer suoja_feed_${'0'.repeat(64)}` } });
  expect(invented.status()).toBe(401);
  expect(await invented.json()).toMatchObject({ error: 'invalid_key' });
});

test('a partner reads capacity in the HSDS service_capacity shape; once revoked the key gets 401', async ({ page, request }) => {
  const partner = unique('Kumppani');
  await signIn(page, 'admin@suoja.example');
  const key = await issueKey(page, partner, 60);
  // Shown once: a reload does not show it again.
  await page.reload();
  await expect(page.getByTestId('issued-key-value')).toHaveCount(0);

  const response = await request.get('/api/feed/capacity', { headers: { authorization: `Bearer ${key}` } });
  expect(response.status()).toBe(200);
  const body = (await response.json()) as { generated_at: string; services: Record<string, unknown>[] };
  expect(body.services.length).toBeGreaterThan(0);
  const kaisla = body.services.find((service) => service.name === 'Turvakoti Kaisla');
  expect(kaisla).toMatchObject({
    kind: 'shelter',
    location: { municipality_code: '091', precision: 'municipality' },
    service_capacity: [{ unit: { id: 'place' }, available: expect.any(Number), maximum: expect.any(Number), updated: expect.any(String) }]
  });
  // Only the municipality centre: Kaisla's exact point never appears.
  const [exact] = await sql<{ lat: number; lon: number; street_address: string }>(
    "select l.lat, l.lon, l.street_address from public.facility_locations l join public.facilities f on f.id = l.facility_id where f.name = 'Turvakoti Kaisla'");
  const raw = JSON.stringify(body);
  expect(raw).not.toContain(String(exact!.lat));
  expect(raw).not.toContain(exact!.street_address);
  expect(raw).not.toMatch(/AS-[2-9A-HJKMNP-Z]{4}/);

  await page.getByRole('button', { name: text('fi', 'admin_partners_revoke', { partner }) }).click();
  await expect(page.getByTestId('key-revoked')).toBeVisible();
  const refused = await request.get('/api/feed/capacity', { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: 'invalid_key' });

  const log = await sql<{ outcome: string }>(
    'select r.outcome from public.partner_feed_requests r join public.partner_keys k on k.id = r.partner_key_id where k.partner_name = $1 order by r.id', [partner]);
  expect(log.map((row) => row.outcome)).toEqual(['ok', 'revoked']);
});

test('past its allowance per minute a key gets 429 with Retry-After', async ({ page, request }) => {
  await signIn(page, 'admin@suoja.example');
  const key = await issueKey(page, unique('Kiireinen kumppani'), 2);
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 3; i++) {
    const response = await request.get('/api/feed/capacity', { headers: { authorization: `Bearer ${key}` } });
    statuses.push(response.status());
    retryAfter = response.headers()['retry-after'];
  }
  expect(statuses).toEqual([200, 200, 429]);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  await page.reload();
  await expect(page.getByTestId('partner-keys')).toContainText(text('fi', 'admin_partners_limited', { count: 1 }));
});
