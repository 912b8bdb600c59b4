'use strict';
// Drives a real n8n editor in a headless browser and checks what a user sees of our community
// package: the Omnisend node is listed in the nodes panel, can be put on the canvas, and its
// credential dialog ("Omnisend API": API Key, Base URL) opens. Uses playwright-core with Debian's
// Chromium (no browser download). Selectors are roles/text and n8n's own `data-test-id`s (the ids
// n8n's Playwright suite relies on), read from the rendered DOM of n8n 2.41.1.
const fs = require('node:fs');
const path = require('node:path');

const { chromium } = require('playwright-core');

const CHROMIUM = '/usr/bin/chromium';
const PACKAGE_NAME = 'n8n-nodes-crm-relay';
/** Whole check, login to credential dialog; each step has its own, smaller bound. */
const TOTAL_TIMEOUT_MS = 100_000;
/** Default for a single Playwright action/assertion. */
const ACTION_TIMEOUT_MS = 15_000;
/** Known n8n pop-ups that can sit over the editor (may or may not appear). */
const POPUP_TEST_IDS = ['nps-survey-modal', 'version-updates-panel', 'personalization-form', 'whatsNew-modal'];

/**
 * Escapes text for use inside a RegExp.
 * @param {string} text
 * @returns {string}
 */
function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits until the first of `locators` is visible and returns its index.
 * @param {import('playwright-core').Locator[]} locators
 * @param {number} timeout ms
 * @returns {Promise<number>} index of the locator that became visible, -1 on timeout
 */
async function firstVisible(locators, timeout) {
	const deadline = Date.now() + timeout;
	do {
		for (let i = 0; i < locators.length; i++) {
			if (await locators[i].first().isVisible().catch(() => false)) return i;
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	} while (Date.now() < deadline);
	return -1;
}

/**
 * Waits (at most `timeout` ms, never failing) until the element and its ancestors are fully opaque,
 * i.e. a dialog's fade-in has finished.
 * @param {import('playwright-core').Locator} locator
 * @param {number} timeout ms
 */
async function waitOpaque(locator, timeout) {
	await locator
		.first()
		.evaluate(
			(el, ms) =>
				new Promise((resolve) => {
					const end = Date.now() + ms;
					const check = () => {
						let opaque = true;
						for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
							if (Number(getComputedStyle(node).opacity) < 1) opaque = false;
						}
						if (opaque || Date.now() > end) resolve(opaque);
						else requestAnimationFrame(check);
					};
					check();
				}),
			timeout,
		)
		.catch(() => false);
}

/**
 * Closes n8n's optional pop-ups (NPS survey, "What's new", personalization survey) if one is open.
 * Never fails: they may or may not be there.
 * @param {import('playwright-core').Page} page
 */
async function dismissPopups(page) {
	for (let round = 0; round < 3; round++) {
		let closed = false;
		for (const id of POPUP_TEST_IDS) {
			const popup = page.locator(`[data-test-id="${id}"]`);
			if (!(await popup.first().isVisible().catch(() => false))) continue;
			const close = popup.first().getByRole('button', { name: /close this dialog|close|skip|get started/i });
			if (await close.first().isVisible().catch(() => false)) await close.first().click({ timeout: 3_000 }).catch(() => {});
			else await page.keyboard.press('Escape').catch(() => {});
			closed = true;
		}
		if (!closed) return;
		await page.waitForTimeout(300);
	}
}

/**
 * Opens n8n's editor at `url`, logs in as the owner, creates a workflow, finds our node in the nodes
 * panel, adds it (with a Manual Trigger where n8n wants a trigger first), and opens its "create
 * credential" dialog.
 *
 * @param {object} options
 * @param {string} options.url n8n base URL, e.g. `http://127.0.0.1:5678` (no trailing slash needed)
 * @param {{email: string, password: string}} options.owner an n8n user allowed to create workflows
 * @param {string} options.screenshotDir created if missing; gets nodes-panel.png, credential-dialog.png (or failure.png)
 * @param {string} [options.nodeSearch='Omnisend'] what to type into the nodes panel; also the node's display name
 * @param {string} [options.credentialTypeName='Omnisend'] the credential type's display name, with or without the trailing " API"
 * @returns {Promise<{nodeListed: true, credentialDialog: true, screenshots: string[]}>} absolute PNG paths
 * @throws {Error} naming the failed step and the path of failure.png
 */
async function checkEditor({ url, owner: { email, password }, screenshotDir, nodeSearch = 'Omnisend', credentialTypeName = 'Omnisend' }) {
	const base = String(url).replace(/\/+$/, '');
	const dir = path.resolve(screenshotDir);
	fs.mkdirSync(dir, { recursive: true });
	const credentialTitle = /\sAPI$/i.test(credentialTypeName) ? credentialTypeName : `${credentialTypeName} API`;
	const screenshots = [];
	const result = { nodeListed: false, credentialDialog: false, screenshots };

	let currentStep = 'launch browser';
	/** @type {import('playwright-core').Browser | undefined} */
	let browser;
	/** @type {import('playwright-core').Page | undefined} */
	let page;
	/** @type {Promise<import('playwright-core').Browser> | undefined} the launch, so a browser started late still gets closed */
	let launching;

	const shoot = async (name) => {
		const file = path.join(dir, name);
		// animations: 'disabled' fast-forwards n8n's fade/slide-in transitions, so a dialog is captured fully opaque.
		await page.screenshot({ path: file, timeout: 10_000, animations: 'disabled' });
		screenshots.push(file);
		return file;
	};
	/** Runs one named step, bounded by `timeout` ms. */
	const step = async (name, timeout, fn) => {
		currentStep = name;
		let timer;
		try {
			return await Promise.race([
				fn(),
				new Promise((_, reject) => {
					timer = setTimeout(() => reject(new Error(`timed out after ${timeout / 1000} s`)), timeout);
				}),
			]);
		} finally {
			clearTimeout(timer);
		}
	};

	const nodeCreator = () => page.locator('[data-test-id="node-creator"]');
	const searchBar = () => nodeCreator().locator('[data-test-id="node-creator-search-bar"]');
	/** The nodes-panel entry of our node: exact display name, icon or id from our package. */
	const ourNodeItem = () =>
		nodeCreator()
			.locator('[data-test-id="item-iterator-item"]')
			.filter({ has: page.locator('[data-test-id="node-creator-item-name"]').getByText(nodeSearch, { exact: true }) })
			.filter({ has: page.locator(`img[src*="/${PACKAGE_NAME}/"]`) });
	const openNodeCreator = async () => {
		if (await searchBar().isVisible().catch(() => false)) return;
		const buttons = [page.locator('[data-test-id="canvas-add-button"]'), page.locator('[data-test-id="canvas-plus-button"]'), page.locator('[data-test-id="node-creator-plus-button"]')];
		const found = await firstVisible(buttons, 5_000);
		if (found >= 0) await buttons[found].first().click();
		else await page.keyboard.press('Tab');
		await searchBar().waitFor({ state: 'visible', timeout: 10_000 });
	};
	const search = async (text) => {
		await searchBar().fill('');
		await searchBar().fill(text);
	};

	const run = async () => {
		launching = chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'], timeout: 20_000 });
		browser = await step('launch browser', 25_000, () => launching);
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		page = await context.newPage();
		page.setDefaultTimeout(ACTION_TIMEOUT_MS);
		page.setDefaultNavigationTimeout(30_000);

		await step('sign in', 30_000, async () => {
			await page.goto(`${base}/signin`, { waitUntil: 'domcontentloaded' });
			const emailInput = page.locator('[data-test-id="emailOrLdapLoginId"]').locator('input');
			await emailInput.waitFor({ state: 'visible' });
			await emailInput.fill(email);
			await page.locator('[data-test-id="password"]').locator('input').fill(password);
			await page.locator('[data-test-id="form-submit-button"]').click();
			// Either the editor loads (URL leaves /signin) or n8n shows an error toast ("Problem logging in").
			const toast = page.locator('.el-notification').filter({ hasText: /problem|wrong|error|invalid/i });
			const deadline = Date.now() + 15_000;
			while (new URL(page.url()).pathname.startsWith('/signin')) {
				if (await toast.first().isVisible().catch(() => false)) {
					const text = await toast.first().innerText().catch(() => '');
					throw new Error(`n8n refused the login: ${text.trim().replace(/\s+/g, ' ')}`);
				}
				if (Date.now() > deadline) throw new Error('still on /signin 15 s after submitting');
				await page.waitForTimeout(200);
			}
			await dismissPopups(page);
		});

		await step('open new workflow', 25_000, async () => {
			await page.goto(`${base}/workflow/new`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas"]').first().waitFor({ state: 'visible', timeout: 20_000 });
			await dismissPopups(page);
		});

		await step(`find "${nodeSearch}" in the nodes panel`, 25_000, async () => {
			await openNodeCreator();
			await search(nodeSearch);
			// n8n 2.x lists action nodes under "What triggers this workflow?" too; older/other builds may
			// not, in which case a Manual Trigger goes first and the search runs in the next panel.
			if ((await firstVisible([ourNodeItem()], 6_000)) < 0) {
				const askingForTrigger = await nodeCreator().getByText('What triggers this workflow?').isVisible().catch(() => false);
				if (!askingForTrigger) throw new Error(`no "${nodeSearch}" entry from ${PACKAGE_NAME} in the nodes panel`);
				await addManualTrigger();
				await openNodeCreator();
				await search(nodeSearch);
				await ourNodeItem().first().waitFor({ state: 'visible', timeout: 8_000 });
			}
			if ((await ourNodeItem().count()) < 1) throw new Error(`no "${nodeSearch}" entry from ${PACKAGE_NAME} in the nodes panel`);
			result.nodeListed = true;
			await shoot('nodes-panel.png');
		});

		await step(`add "${nodeSearch}" to the canvas`, 25_000, async () => {
			await ourNodeItem().first().click();
			const ndv = page.locator('[data-test-id="ndv"]');
			const actions = nodeCreator().locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-type="action"][data-keyboard-nav-id^="${PACKAGE_NAME}."]`);
			const seen = await firstVisible([actions, ndv], 10_000);
			if (seen === 0) {
				// The node's action list: prefer a "Send …" action (Event → Send), else the first one.
				const send = actions.filter({ has: page.locator('[data-test-id="node-creator-item-name"]').getByText(/^send\b/i) });
				await ((await send.count()) > 0 ? send : actions).first().click();
			} else if (seen < 0) {
				throw new Error('neither an action list nor the node panel appeared after picking the node');
			}
			if ((await firstVisible([ndv], 10_000)) < 0) {
				// Added but not opened: open it from the canvas.
				await page.keyboard.press('Escape').catch(() => {});
				await page.locator('[data-test-id="canvas-node"]').filter({ hasText: nodeSearch }).first().dblclick();
				await ndv.first().waitFor({ state: 'visible', timeout: 8_000 });
			}
			await page.locator('[data-test-id="node-credentials-slot"]').first().waitFor({ state: 'visible', timeout: 8_000 });
		});

		await step(`open the "${credentialTitle}" credential dialog`, 25_000, async () => {
			const slot = page.locator('[data-test-id="node-credentials-slot"]').first();
			const emptyState = slot.locator('[data-test-id="node-credentials-empty-state"]').getByRole('button');
			const select = slot.locator('[data-test-id="node-credentials-select"]');
			const which = await firstVisible([emptyState, select], 8_000);
			if (which === 0) {
				await emptyState.first().click(); // "Connect to Omnisend": no credential of this type yet
			} else if (which === 1) {
				await select.first().click(); // one exists already: use the select's "Create new credential"
				await page.getByText(/create new credential/i).last().click();
			} else {
				throw new Error('the node panel shows no credential control');
			}
			const modal = page.locator('[data-test-id="editCredential-modal"]');
			await modal.waitFor({ state: 'visible', timeout: 10_000 });
			await modal.getByText(credentialTitle, { exact: true }).first().waitFor({ state: 'visible', timeout: 5_000 });
			const form = modal.locator('[data-test-id="credential-connection-parameter"]');
			for (const label of ['API Key', 'Base URL']) {
				await form.getByText(new RegExp(`^${escapeRegExp(label)}\\b`)).first().waitFor({ state: 'visible', timeout: 5_000 });
			}
			await modal.locator('[data-test-id="parameter-input-apiKey"]').locator('input').waitFor({ state: 'visible', timeout: 5_000 });
			await modal.locator('[data-test-id="parameter-input-baseUrl"]').locator('input').waitFor({ state: 'visible', timeout: 5_000 });
			await waitOpaque(modal, 3_000);
			// The credential's name ("Omnisend account") is an inline edit sized after it renders; let it settle
			// so the screenshot shows it (cosmetic: not part of the check).
			await modal
				.locator('[data-test-id="credential-name"] [data-test-id="inline-edit-preview"]')
				.first()
				.waitFor({ state: 'visible', timeout: 3_000 })
				.catch(() => {});
			await page.waitForTimeout(300);
			result.credentialDialog = true;
			await shoot('credential-dialog.png');
		});

		return result;
	};

	/** Adds n8n's Manual Trigger from the open nodes panel and returns to the canvas. */
	const addManualTrigger = async () => {
		await search('manual');
		await nodeCreator().locator('[data-test-id="node-creator-item-name"]').getByText(/^(Trigger manually|Manual Trigger)$/).first().click();
		await page.waitForTimeout(500);
		if (await page.locator('[data-test-id="ndv"]').first().isVisible().catch(() => false)) {
			const close = page.locator('[data-test-id="ndv-close-button"]');
			if (await close.first().isVisible().catch(() => false)) await close.first().click();
			else await page.keyboard.press('Escape');
		}
		if (await nodeCreator().isVisible().catch(() => false)) await page.keyboard.press('Escape');
		await page.locator('[data-test-id="canvas-trigger-node"]').first().waitFor({ state: 'visible', timeout: 8_000 });
	};

	let overall;
	try {
		return await Promise.race([
			run(),
			new Promise((_, reject) => {
				overall = setTimeout(() => reject(new Error(`the whole check took longer than ${TOTAL_TIMEOUT_MS / 1000} s`)), TOTAL_TIMEOUT_MS);
			}),
		]);
	} catch (error) {
		let where = 'no screenshot (no page)';
		if (page) {
			const file = path.join(dir, 'failure.png');
			where = await page
				.screenshot({ path: file, timeout: 10_000, animations: 'disabled' })
				.then(() => {
					screenshots.push(file);
					return `screenshot: ${file}`;
				})
				.catch((e) => `no screenshot (${e.message.split('\n')[0]})`);
		}
		const reason = String(error && error.message ? error.message : error).split('\n')[0];
		const failure = new Error(`n8n editor check failed at step "${currentStep}" (${page ? page.url() : base}): ${reason}; ${where}`);
		failure.step = currentStep;
		failure.screenshot = screenshots.includes(path.join(dir, 'failure.png')) ? path.join(dir, 'failure.png') : undefined;
		failure.cause = error;
		throw failure;
	} finally {
		clearTimeout(overall);
		if (!browser && launching) browser = await launching.catch(() => undefined);
		if (browser) await browser.close().catch(() => {});
	}
}

module.exports = { checkEditor };
