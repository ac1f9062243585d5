// Clicks through a case page of the report in Debian's headless Chromium:
// the page as a journalist opens it from file://, its first page image
// clicked, and what then shows (the full-size view, its size against the
// image's own, the turn it keeps), with every request, CSP violation and
// script error recorded.
//
//   node report.js CASE.html [SCREENSHOT_PREFIX]
//
// Prints one JSON object.
'use strict';
const path = require('path');
const {runWatched} = require('./watched.js');

function main() {
	const file = path.resolve(process.argv[2]);
	const shots = process.argv[3];
	runWatched(file, 1000, 800, async (page, out) => {
		const full = () => page.evaluate(() => {
			const f = document.querySelector('.full');
			const img = f && f.querySelector('img');
			const r = img && img.getBoundingClientRect();
			return {
				shown: !!f && getComputedStyle(f).display !== 'none',
				width: r ? r.width : 0,
				height: r ? r.height : 0,
				natural: img ? [img.naturalWidth, img.naturalHeight] : [0, 0],
				transform: img ? getComputedStyle(img).transform : '',
				hash: location.hash,
			};
		});
		out.before = await full();
		out.thumb = await page.evaluate(() => {
			const i = document.querySelector('img.pg');
			const r = i.getBoundingClientRect();
			return {width: r.width, height: r.height, transform: getComputedStyle(i).transform};
		});
		// Each photographed page and what is shown beside it.
		out.beside = await page.evaluate(() => {
			const box = (e) => {
				const r = e.getBoundingClientRect();
				return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
			};
			return [...document.querySelectorAll('.sheet')].map((s) => ({
				img: box(s.querySelector('figure')),
				aside: box(s.querySelector('aside')),
				text: s.querySelector('aside').innerText,
			}));
		});
		if (shots)
			await page.screenshot({path: shots + '-case.png', fullPage: true});
		await page.click('a.zoom');
		await page.waitForFunction(() => location.hash.startsWith('#full-'));
		out.after = await full();
		if (shots)
			await page.screenshot({path: shots + '-full.png', fullPage: false});
		await page.click('.full a');
		await page.waitForFunction(() => !location.hash.startsWith('#full-'));
		out.closed = await full();
	});
}

main();
