/**
 * Deliveries and volunteer events in a real browser (Debian's Chromium through playwright-core),
 * served by the gateway of a whole launched platform: a charity records a shipment of an
 * allocation and sees it awaiting acknowledgement, the home's manager acknowledges it on a phone,
 * and the charity sees it delivered (and another one short); a volunteer coordinator signs up
 * children and a cleared volunteer, takes attendance, confirms hours and closes the event.
 * Fixtures are made through the public HTTP APIs; screenshots go into apps/console/.artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { waitFor } from '@tongxin/testkit';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ARTIFACTS,
  browserPages,
  createWorld,
  disposeWorld,
  password,
  PINGJIANG,
  type Call,
  type World,
} from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 860 };
const DAY = 86_400_000;
/** A Beijing date `days` from today. */
const beijing = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

const expectStatus = (res: Call, status: number, what: string) => {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

describe('deliveries and volunteer events in a browser', () => {
  let world: World;
  let browser: Browser;
  const pages = browserPages(
    () => browser,
    () => world.platform.gatewayUrl,
  );
  const { open, logIn } = pages;
  let coordinator: { username: string; password: string; token: string };
  let volunteer: { id: string; displayName: string };
  let event: { id: string; title: string };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [w, b] = await Promise.all([
      createWorld(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] }),
    ]);
    world = w;
    browser = b;
    const { call, login } = world.api;
    const suffix = Date.now().toString(36);

    // A volunteer organisation, its coordinator, a cleared and trained volunteer, one whose clearance runs out soon.
    const orgId = `yl-${suffix}`;
    expectStatus(
      await call('POST', '/api/volunteers/organisations', {
        token: world.tokens.admin,
        body: { organisationId: orgId, kind: 'youth_league', name: '共青团平江县委', regionCode: PINGJIANG },
      }),
      201,
      'create the volunteer organisation',
    );
    const pw = password();
    const username = `yl-${suffix}`;
    expectStatus(
      await call('POST', '/users', {
        token: world.tokens.admin,
        body: {
          username,
          password: pw,
          name: '团县委 志愿者协调员',
          role: 'volunteer_coordinator',
          volunteerOrgs: [orgId],
        },
      }),
      201,
      'create the coordinator',
    );
    coordinator = { username, password: pw, token: await login(username, pw) };
    const token = coordinator.token;
    const register = async (displayName: string, phone: string, expiresOn: string) => {
      const v = expectStatus(
        await call('POST', '/api/volunteers/volunteers', {
          token,
          body: { organisationIds: [orgId], name: displayName, displayName, phone, skills: ['tutoring'] },
        }),
        201,
        'register a volunteer',
      );
      expectStatus(
        await call('PUT', `/api/volunteers/volunteers/${v.id}/clearance`, {
          token,
          body: { documentType: 'no_criminal_record', number: `PJ${suffix}01`, issuedOn: beijing(-30), expiresOn },
        }),
        200,
        'record the clearance',
      );
      expectStatus(
        await call('PUT', `/api/volunteers/volunteers/${v.id}/training`, {
          token,
          body: { completedOn: beijing(-10) },
        }),
        200,
        'record the training',
      );
      return { id: v.id as string, displayName };
    };
    volunteer = await register('陈老师', '139 1234 5678', beijing(365));
    await register('刘老师', '139 8765 4321', beijing(20));

    // An event at the home today (the volunteers service learns of the home from facilities' events).
    const title = `周末阅读会 ${suffix}`;
    const created = await waitFor(
      async () => {
        const res = await call('POST', '/api/volunteers/events', {
          token,
          body: {
            organisationId: orgId,
            kind: 'reading_session',
            title,
            startsOn: beijing(),
            endsOn: beijing(),
            venue: { kind: 'home', facilityId: world.facility.id },
            capacity: 10,
            roles: [{ name: '阅读辅导', slots: 2, requiredSkills: ['tutoring'] }],
            registration: { opensOn: beijing(-1), closesOn: beijing() },
          },
        });
        if (res.status === 201) return res.body;
        throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'the event created at the home' },
    );
    event = { id: created.id as string, title };
    // The third child signs up through the API once the service knows the children (registry events).
    await waitFor(
      async () => {
        const res = await call('POST', `/api/volunteers/events/${event.id}/children`, {
          token,
          body: { childId: world.children[2]!.id },
        });
        if (res.status === 201) return res;
        throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      },
      { timeoutMs: 120_000, intervalMs: 1000, message: 'a child known to the volunteers service' },
    );
  }, 600_000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await disposeWorld(world);
  });

  it('a charity records a shipment, the home acknowledges it on a phone, the charity sees it delivered (and a shortfall)', async () => {
    const { call } = world.api;
    const charity = world.tokens.charity;
    const donation = expectStatus(
      await call('POST', '/api/donations/donations', {
        token: charity,
        body: {
          donorId: world.donorId,
          kind: 'books',
          purpose: 'unrestricted',
          receivedOn: beijing(),
          lines: [{ type: 'book', title: '草房子', quantity: 60, unitValueYuan: '25.00' }],
        },
      }),
      201,
      'register the donation',
    );
    const allocated = expectStatus(
      await call('POST', `/api/donations/donations/${donation.id}/allocations`, {
        token: charity,
        body: {
          recipientKind: 'facility',
          recipientId: world.facility.id,
          lines: [{ lineId: donation.lines[0].lineId, quantity: 30 }],
        },
      }),
      201,
      'allocate',
    );
    const allocationId = allocated.allocations[0].allocationId as string;

    const page = await open(DESKTOP);
    await logIn(page, world.accounts.charity, /\/donations$/);
    await page.getByRole('cell', { name: donation.receiptNumber, exact: true }).click();
    const detail = page.getByTestId('donation-detail');
    await detail.getByTestId('allocations').getByText(world.facility.name).waitFor();
    await detail.getByTestId('record-shipment').click();
    const form = detail.getByTestId('shipment-form');
    const quantity = form.getByTestId('shipment-quantity');
    expect(await quantity.inputValue()).toBe('30');

    // More than is allocated and not yet dispatched: the server's message beside the quantity.
    await quantity.fill('100');
    await form.getByTestId('submit-shipment').click();
    const error = form.locator('.ant-form-item-explain-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/已分配未发运的数量为30/);
    await page.screenshot({ path: join(ARTIFACTS, 'charity-shipment-over.png'), fullPage: true });

    await quantity.fill('20');
    await form.getByTestId('shipment-carrier').fill('顺丰速运');
    await form.getByTestId('shipment-tracking').fill('SF1234567890');
    await form.getByTestId('submit-shipment').click();
    const shipments = detail.getByTestId('shipments');
    await shipments.getByText('待签收').waitFor();
    expect(await shipments.textContent()).toContain('顺丰速运 SF1234567890');
    // What is left to dispatch is shown on the allocation.
    await detail.getByTestId('allocations').getByRole('cell', { name: '10', exact: true }).waitFor();
    let stored = expectStatus(
      await call('GET', `/api/donations/donations/${donation.id}`, { token: charity }),
      200,
      'read the donation',
    );
    expect(stored.shipments).toHaveLength(1);
    expect(stored.shipments[0]).toMatchObject({
      allocationId,
      carrier: '顺丰速运',
      trackingNumber: 'SF1234567890',
      lines: [{ lineId: donation.lines[0].lineId, quantity: 20 }],
    });
    await page.screenshot({ path: join(ARTIFACTS, 'charity-shipment-awaiting.png'), fullPage: true });

    // The home's manager, on a phone, acknowledges receipt of all 20.
    const phone = await open(PHONE, true);
    await logIn(phone, world.accounts.manager, /\/facility$/);
    await phone.getByRole('tab', { name: '待签收的捐赠' }).click();
    const incoming = phone.getByTestId('incoming-delivery');
    await incoming.getByText('岳阳市慈善总会').waitFor();
    expect(await incoming.getByTestId('ack-quantity').inputValue()).toBe('20');
    await phone.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await phone.screenshot({
      path: join(ARTIFACTS, 'facility-manager-deliveries.png'),
      fullPage: true,
      animations: 'disabled',
    });
    await incoming.getByTestId('acknowledge').click();
    await phone.getByTestId('incoming-deliveries').getByText('没有待签收的捐赠').waitFor();

    // A second shipment of the last 10 arrives 2 short (acknowledged through the API).
    const second = expectStatus(
      await call('POST', `/api/donations/donations/${donation.id}/shipments`, {
        token: charity,
        body: { dispatchedOn: beijing(), items: [{ allocationId, quantity: 10 }] },
      }),
      201,
      'dispatch the rest',
    );
    expectStatus(
      await call('POST', `/api/donations/donations/${donation.id}/acknowledgements`, {
        token: world.tokens.manager,
        body: {
          acknowledgedOn: beijing(),
          items: [{ shipmentId: second.shipments[0].shipmentId, quantityReceived: 8, discrepancyReason: 'damaged' }],
        },
      }),
      201,
      'acknowledge 8 of 10',
    );

    await page.reload();
    await page.getByRole('cell', { name: donation.receiptNumber, exact: true }).click();
    const statuses = page.getByTestId('donation-detail').getByTestId('shipment-status');
    await statuses.filter({ hasText: '已签收' }).waitFor();
    await statuses.filter({ hasText: '短缺 2（损坏）' }).waitFor();
    stored = expectStatus(
      await call('GET', `/api/donations/donations/${donation.id}`, { token: charity }),
      200,
      'read the donation',
    );
    expect(stored.acknowledgements).toHaveLength(2);
    expect(stored.totals.acknowledgedQuantity).toBe(28);
    expect(await page.getByTestId('donation-detail').locator('.ant-descriptions').textContent()).toContain('已签收28');
    await page.screenshot({ path: join(ARTIFACTS, 'charity-deliveries.png'), fullPage: true });
  });

  it('a volunteer coordinator signs up children and a volunteer, takes attendance, confirms hours and closes the event', async () => {
    const page = await open(DESKTOP);
    await logIn(page, coordinator, /\/volunteers$/);
    // The clearance expiry warnings stay: the volunteer whose clearance ends in 20 days is flagged.
    await page.getByText(`即将到期 ${beijing(20)}`).waitFor();
    await page.getByTestId('events').getByText(event.title).click();
    const detail = page.getByTestId('event-detail');
    await detail.getByTestId('event-children').getByText(world.children[2]!.name).waitFor();

    for (const child of world.children.slice(0, 2)) {
      await detail.getByTestId('signup-child-id').fill(child.id);
      await detail.getByTestId('signup-child').click();
      await detail.getByTestId('event-children').getByText(child.name).waitFor();
    }
    // A child that is not on the register: the server's message beside the ID.
    await detail.getByTestId('signup-child-id').fill('no-such-child');
    await detail.getByTestId('signup-child').click();
    await detail.locator('.ant-form-item-explain-error', { hasText: '登记册中没有该儿童' }).waitFor();

    await detail.getByTestId('assign-volunteer').click();
    await page.locator('.ant-select-item-option', { hasText: volunteer.displayName }).click();
    await detail.getByTestId('assign').click();
    await detail.getByTestId('event-volunteers').getByText(volunteer.displayName).waitFor();

    const present = world.children.slice(1);
    for (const child of present) await detail.getByTestId('attendance-children').getByText(child.name).click();
    await detail.getByTestId('attendance-volunteers').getByText(volunteer.displayName).click();
    await detail.getByTestId('record-attendance').click();
    await detail.getByTestId(`hours-${volunteer.id}`).waitFor();

    await detail.getByTestId(`hours-${volunteer.id}`).fill('2.5');
    await detail.getByTestId('confirm-hours').click();
    await detail.getByTestId('event-volunteers').getByTestId('confirmed-hours').getByText('2.5').waitFor();
    await page.getByTestId('events').getByRole('cell', { name: '2.5', exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'volunteer-coordinator-event.png'), fullPage: true });

    const stored = expectStatus(
      await world.api.call('GET', `/api/volunteers/events/${event.id}`, { token: coordinator.token }),
      200,
      'read the event',
    );
    expect(stored.children.map((c: { childId: string }) => c.childId).sort()).toEqual(
      world.children.map((c) => c.id).sort(),
    );
    expect(stored.volunteers.map((v: { volunteerId: string }) => v.volunteerId)).toEqual([volunteer.id]);
    expect(stored.attendance).toHaveLength(1);
    expect([...stored.attendance[0].childIds].sort()).toEqual(present.map((c) => c.id).sort());
    expect(stored.attendance[0].volunteerIds).toEqual([volunteer.id]);
    expect(stored.hours).toEqual([expect.objectContaining({ volunteerId: volunteer.id, minutes: 150 })]);

    await detail.getByTestId('close-event').click();
    await detail
      .getByTestId('event-status')
      .getByText(/已结束/)
      .waitFor();
    const closed = expectStatus(
      await world.api.call('GET', `/api/volunteers/events/${event.id}`, { token: coordinator.token }),
      200,
      'read the closed event',
    );
    expect(closed).toMatchObject({ status: 'closed', closed: { outcome: 'completed' } });
    await page.screenshot({ path: join(ARTIFACTS, 'volunteer-coordinator-closed.png'), fullPage: true });
  });
});
