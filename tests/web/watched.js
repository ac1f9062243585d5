// A report page opened in Debian's headless Chromium from file://, as a
// journalist opens it, with every request that would leave the report's
// folder refused and recorded, and every CSP violation and script error
// recorded. Shared by report.js and index.js (runWatched).
'use strict';
const path = require('path');
const puppeteer = require('puppeteer-core');
const {pathToFileURL} = require('url');

// Returns {browser, page, out}; out.requests, out.csp and out.errors fill
// as the page runs. data: is let through: it is the browser's own (its
// date picker's icon), and the page's CSP refuses it for the page.
async function openWatched(file, width, height) {
	const browser = await puppeteer.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
		       '--disable-background-networking', '--disable-component-update'],
	});
	const out = {requests: [], csp: [], errors: []};
	try {
		const page = await browser.newPage();
		await page.setViewport({width, height, deviceScaleFactor: 1});
		const dir = pathToFileURL(path.dirname(file)).href;
		await page.setRequestInterception(true);
		page.on('request', (r) => {
			const u = r.url();
			if (u.startsWith(dir) || u.startsWith('data:'))
				return r.continue();
			out.requests.push(u);
			r.abort();
		});
		page.on('console', (m) => {
			if (/Content Security Policy|Refused to/.test(m.text()))
				out.csp.push(m.text());
		});
		page.on('pageerror', (e) => out.errors.push(String(e)));
		await page.goto(pathToFileURL(file).href, {waitUntil: 'load'});
		return {browser, page, out};
	} catch (e) {
		await browser.close();
		throw e;
	}
}

// A driver's whole run: opens file watched, lets body(page, out) fill out,
// closes the browser, prints out as one JSON object; any error goes to
// stderr and exits 1.
function runWatched(file, width, height, body) {
	(async () => {
		const {browser, page, out} = await openWatched(file, width, height);
		try {
			await body(page, out);
		} finally {
			await browser.close();
		}
		process.stdout.write(JSON.stringify(out) + '\n');
	})().catch((e) => {
		console.error(String(e && e.stack || e));
		process.exit(1);
	});
}

module.exports = {runWatched};
