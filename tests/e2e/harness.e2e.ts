// Checks the harness itself, so a broken setup reads as that and not as failing app tests.
import { expect, test } from '@playwright/test';
import { e2eEnvironment } from './environment';

test('the built app serves the sign-in page', async ({ page }) => {
  const response = await page.goto('/login');
  expect(response?.status(), 'GET /login on the built app').toBe(200);
});

test('the local stack answers with the keys the harness handed out', async ({ request }) => {
  const { supabaseUrl, publishableKey } = e2eEnvironment();
  const signIn = await request.post(`${supabaseUrl}/auth/v1/token?grant_type=password`, {
    headers: { apikey: publishableKey },
    data: { email: 'coordinator@suoja.example', password: 'suoja-demo' },
  });
  expect(signIn.status(), 'the seeded coordinator signs in on the stack').toBe(200);
});

test('the browser renders WebGL through SwiftShader, as the map needs', async ({ page }) => {
  await page.setContent('<canvas></canvas>');
  const hasWebGl2 = await page.evaluate(() => document.querySelector('canvas')?.getContext('webgl2') != null);
  expect(hasWebGl2, 'a WebGL2 context in headless Chromium').toBe(true);
});
