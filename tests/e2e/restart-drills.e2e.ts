// Failure drills in the browser (issue #9): Postgres and then the gateway (Auth, Realtime) go
// down while a coordinator has the map open and a staff member their facility's screen. What
// must hold: the pages say the connection is lost and, without a reload, that it is back; a
// change tried during the outage is reported as not saved and is not in the database; every
// write is committed once; afterwards the map is live again and shows what changed meanwhile.
//
// The drills run on a stack and app of their own (scripts/lib/drill-control.ts), so taking
// Postgres down does not fail the tests that the other worker runs on the shared stack.
import { wcagViolations } from './support/axe';
import { expect, test, type Page } from '@playwright/test';
import {
  capacityReports,
  drillFacility,
  expectLive,
  expectNotReloaded,
  markPage,
  openLiveMap,
  signIn,
  startDrill,
  text,
  type Drill
} from './support/drills';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

let drill: Drill;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  drill = await startDrill();
});

test.afterAll(async () => {
  await drill?.stop();
});

const notice = (page: Page) => page.getByTestId('server-connection');

async function expectNotice(page: Page, state: 'lost' | 'restored'): Promise<void> {
  // The periodic probe notices an outage nobody acted in; give it a few turns.
  await expect(notice(page)).toHaveAttribute('data-state', state, { timeout: 60_000 });
  await expect(notice(page)).toHaveText(text(state === 'lost' ? 'resilience_lost' : 'resilience_restored'));
}

async function submitCapacity(page: Page, capacity: number): Promise<void> {
  await page.getByLabel(text('staff_field_capacity'), { exact: true }).fill(String(capacity));
  await page.getByRole('button', { name: text('staff_capacity_submit') }).click();
}

test('Postgres restarts: lost and back without a reload, an update meanwhile is not saved, the map is live again', async ({ browser }) => {
  const facility = await drillFacility(drill);
  const coordinatorContext = await drill.newContext(browser);
  const staffContext = await drill.newContext(browser);
  try {
    const coordinator = await coordinatorContext.newPage();
    const staff = await staffContext.newPage();
    await signIn(coordinator, 'coordinator@suoja.example');
    await signIn(staff, facility.staffEmail);
    await openLiveMap(coordinator, facility.id);
    await expect(coordinator.getByTestId('selected-free-places')).toHaveText('10');
    await staff.goto(`/my-facility/${facility.id}`);
    await expect(staff.getByRole('heading', { level: 1 })).toHaveText(facility.name);
    await expectLive(staff);
    await markPage(coordinator);
    await markPage(staff);
    expect(await capacityReports(drill, facility.id)).toEqual([{ capacity: 10 }]);

    await drill.down('postgres');
    try {
      // Tried during the outage: said plainly that it was not saved.
      await submitCapacity(staff, 6);
      await expect(staff.getByTestId('capacity-failure')).toContainText(text('staff_form_error_heading'));
      await expect(staff.getByTestId('capacity-failure')).toContainText(text('resilience_not_saved_unavailable'));
      // The failed save makes the staff page check at once; the map, where nobody acts, finds out by itself.
      await Promise.all([expectNotice(staff, 'lost'), expectNotice(coordinator, 'lost')]);
      expect(await wcagViolations(staff), 'WCAG 2.1 A/AA violations with the notice shown').toEqual([]);
    } finally {
      await drill.up('postgres');
    }

    await Promise.all([expectNotice(staff, 'restored'), expectNotice(coordinator, 'restored')]);
    expect(await capacityReports(drill, facility.id), 'the update tried during the outage was not written').toEqual([{ capacity: 10 }]);

    // The staff member tries again: saved once, and the open map shows it live.
    await submitCapacity(staff, 6);
    await expect(staff.getByTestId('capacity-done')).toHaveText(text('staff_done_capacity_saved'));
    await expect(coordinator.getByTestId('selected-free-places')).toHaveText('6');
    await expectLive(coordinator);
    expect(await capacityReports(drill, facility.id), 'every write committed once').toEqual([{ capacity: 10 }, { capacity: 6 }]);

    // The notice goes by itself once it has said its piece; neither page was loaded again.
    await expect(notice(coordinator)).toHaveCount(0, { timeout: 30_000 });
    await expectNotReloaded(coordinator);
    await expectNotReloaded(staff);
  } finally {
    await coordinatorContext.close();
    await staffContext.close();
  }
});

test('the gateway restarts: the map rejoins and shows a change made while it was down', async ({ browser }) => {
  const facility = await drillFacility(drill);
  const context = await drill.newContext(browser);
  try {
    const coordinator = await context.newPage();
    await signIn(coordinator, 'coordinator@suoja.example');
    await openLiveMap(coordinator, facility.id);
    await expect(coordinator.getByTestId('selected-free-places')).toHaveText('10');
    await markPage(coordinator);

    await drill.down('gateway');
    try {
      await expect(coordinator.getByTestId('connection-state')).toHaveAttribute('data-state', 'reconnecting', { timeout: 30_000 });
      await expectNotice(coordinator, 'lost');
      // Written straight to the database: nothing can reach the browser while the gateway is down.
      await drill.sql(`insert into public.capacity_reports (facility_id, kind, capacity, reported_role) values ($1, 'update', 3, 'coordinator')`, [facility.id]);
    } finally {
      await drill.up('gateway');
    }

    // Watched together: "restored" is shown only for a while, whichever comes first.
    await Promise.all([
      expectLive(coordinator),
      expect(coordinator.getByTestId('selected-free-places')).toHaveText('3', { timeout: 30_000 }),
      expectNotice(coordinator, 'restored')
    ]);
    await expectNotReloaded(coordinator);
  } finally {
    await context.close();
  }
});
