// Measures the printed forms as Chromium lays them out for print: for
// every page of every form, where its last block ends against where its
// footer begins, and how tall its first block is, so a test can tell a
// question cut off at the bottom of a page from one moved to the next
// page although it would have fitted (tests/e2e/forms.sh).
//
//   node layout.js FORMS.html...
//
// Prints one JSON object, for each file given:
// {FILE: {pages: [{blocks, heights, first, free, overflow}]}}
// with lengths in millimetres: heights are its blocks' (with their
// margins), first the first one's, free the room left between its last block and
// its footer (negative when the blocks run under the footer), overflow
// whether any block is cut by the page's box.
'use strict';
const path = require('path');
const puppeteer = require('puppeteer-core');
const {pathToFileURL} = require('url');

async function main() {
	const browser = await puppeteer.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
		       '--disable-background-networking', '--disable-component-update'],
	});
	try {
		const page = await browser.newPage();
		await page.setRequestInterception(true);
		page.on('request', (r) => (r.url().startsWith('file:') ? r.continue() : r.abort()));
		await page.emulateMediaType('print');
		const all = {};
		for (const file of process.argv.slice(2)) {
			await page.goto(pathToFileURL(path.resolve(file)).href, {waitUntil: 'load'});
			await page.evaluate(() => document.fonts.ready);
			all[file] = await measure(page);
		}
		process.stdout.write(JSON.stringify(all) + '\n');
	} finally {
		await browser.close();
	}
}

// The layout of the forms page as printed (lengths in mm).
function measure(page) {
	return page.evaluate(() => {
		const mm = 96 / 25.4;
		const pages = [];
		for (const p of document.querySelectorAll('section.page')) {
			const box = p.getBoundingClientRect();
			const foot = p.querySelector('.foot').getBoundingClientRect();
			const blocks = [...p.querySelectorAll('.body > div')];
			const bottom = (el) => {
				const r = el.getBoundingClientRect();
				return r.bottom + parseFloat(getComputedStyle(el).marginBottom);
			};
			const height = (el) => bottom(el) - el.getBoundingClientRect().top;
			const last = blocks.length ? bottom(blocks[blocks.length - 1]) : foot.top;
			pages.push({
				blocks: blocks.length,
				heights: blocks.map((b) => height(b) / mm),
				first: blocks.length ? height(blocks[0]) / mm : 0,
				free: (foot.top - last) / mm,
				overflow: blocks.some((b) => b.getBoundingClientRect().bottom > box.bottom ||
				                             b.scrollWidth > b.clientWidth + 1),
			});
		}
		return {pages};
	});
}

main().catch((e) => {
	console.error(String(e && e.stack || e));
	process.exit(1);
});
