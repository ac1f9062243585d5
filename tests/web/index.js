// Sorts and filters the report's index in Debian's headless Chromium, as
// a journalist does: by pack, by flag, by date and by a column header,
// recording after each which cases are shown and in what order, with
// every request, CSP violation and script error.
//
//   node index.js INDEX.html PACK FROM-DATE [SCREENSHOT_PREFIX]
//
// Prints one JSON object.
'use strict';
const path = require('path');
const {runWatched} = require('./watched.js');

function main() {
	const [file, pack, from, shots] = [path.resolve(process.argv[2]), process.argv[3],
		process.argv[4], process.argv[5]];
	runWatched(file, 1200, 700, async (page, out) => {
		// What the journalist sees: the names of the rows shown, in order.
		const seen = () => page.evaluate(() => ({
			names: [...document.querySelectorAll('tr.case')]
				.filter((r) => r.getBoundingClientRect().height > 0)
				.map((r) => r.querySelector('a').textContent),
			status: document.getElementById('f-shown').textContent,
			filters: getComputedStyle(document.getElementById('filters')).display !== 'none',
		}));
		const set = (id, v) => page.$eval(id, (e, val) => {
			e.value = val;
			e.dispatchEvent(new Event('change'));
		}, v);
		out.all = await seen();
		await set('#f-pack', pack);
		out.pack = await seen();
		await set('#f-pack', '');
		await set('#f-flag', 'twice');
		out.twice = await seen();
		await set('#f-flag', 'code-only');
		out.codeOnly = await seen();
		await set('#f-flag', 'none');
		out.none = await seen();
		await set('#f-flag', '');
		await set('#f-from', from);
		out.from = await seen();
		if (shots)
			await page.screenshot({path: shots + '-index-filtered.png', fullPage: true});
		await set('#f-from', '');
		await set('#f-to', from);
		out.to = await seen();
		await set('#f-to', '');
		await page.click('button[data-key="opened"]');
		out.ascending = await seen();
		await page.click('button[data-key="opened"]');
		out.descending = await seen();
		out.sortMark = await page.$eval('button[data-key="opened"]',
			(b) => b.parentNode.getAttribute('aria-sort'));
		if (shots)
			await page.screenshot({path: shots + '-index-sorted.png', fullPage: true});
	});
}

main();
