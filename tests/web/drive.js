// Drives the offline page in Debian's headless Chromium, as a contact
// would: opens it from file://, types the desk's fingerprint (and the pack
// word), picks the photos, presses Seal and saves the bundle. Every request
// other than the page itself is refused and reported.
//
//   node drive.js JOB.json
//
// JOB: {page, lang, desk, word, photos: [..], pack, form, downloads,
//       screenshot, runs, sets: [[..], ..]}
// Prints one JSON object: what the page showed, the bundle saved (if any),
// the requests it tried, what storage holds, the CSP violations, timings
// and the renderer's peak memory.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const puppeteer = require('puppeteer-core');
const {pathToFileURL} = require('url');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// The renderer's peak resident memory (VmHWM), in KiB: the largest of
// Chromium's renderer processes, which for one tab is the page's.
function rendererPeakKiB() {
	let peak = 0;
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
			if (!cmd.includes('--type=renderer') || !cmd.includes(job.userDataDir))
				continue;
			const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
			if (m)
				peak = Math.max(peak, Number(m[1]));
		} catch (e) {
			// the process ended
		}
	}
	return peak;
}

async function main() {
	job.userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-chromium-'));
	const browser = await puppeteer.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		userDataDir: job.userDataDir,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		       '--disable-background-networking', '--disable-component-update',
		       '--disable-sync', `--lang=${job.lang || 'en-US'}`,
		       `--accept-lang=${job.lang || 'en-US'}`],
		env: Object.assign({}, process.env, {LANGUAGE: job.lang || 'en-US'}),
	});
	const out = {requests: [], csp: [], errors: []};
	try {
		const page = await browser.newPage();
		await page.setViewport({width: 420, height: 900, deviceScaleFactor: 1});
		// As Chromium spells it (a space in the path is %20).
		const pageUrl = pathToFileURL(path.resolve(job.page)).href;
		await page.setRequestInterception(true);
		page.on('request', (r) => {
			if (r.url() === pageUrl && r.isNavigationRequest())
				return r.continue();
			out.requests.push(r.url().slice(0, 80));
			r.abort();
		});
		page.on('pageerror', (e) => out.errors.push(String(e.message || e)));
		await page.evaluateOnNewDocument(() => {
			window.__csp = [];
			document.addEventListener('securitypolicyviolation',
			                          (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
		});
		const cdp = await browser.target().createCDPSession();
		if (job.downloads)
			await cdp.send('Browser.setDownloadBehavior',
			               {behavior: 'allow', downloadPath: path.resolve(job.downloads), eventsEnabled: true});
		const t0 = Date.now();
		await page.goto(pageUrl, {waitUntil: 'load'});
		await page.waitForFunction(() => !document.querySelector('#seal').disabled ||
		                                  document.querySelector('#status').className === 'bad');
		out.loadMs = Date.now() - t0;
		out.lang = await page.evaluate(() => document.documentElement.lang);
		out.sealText = await page.$eval('#seal', (b) => b.textContent);
		out.title = await page.evaluate(() => document.title);
		// One run per set of photos: job.sets, or job.photos job.runs times.
		const sets = job.sets || Array(job.runs || 1).fill(job.photos || []);
		out.runs = [];
		out.sets = [];
		for (const photos of sets) {
			await page.$eval('#desk', (e) => { e.value = ''; });
			await page.$eval('#word', (e) => { e.value = ''; });
			if (job.desk)
				await page.type('#desk', job.desk);
			if (job.word)
				await page.type('#word', job.word);
			if (photos.length)
				await (await page.$('#pages')).uploadFile(...photos.map((p) => path.resolve(p)));
			if (job.pack) {
				await page.$eval('details.step', (d) => { d.open = true; });
				await (await page.$('#pack')).uploadFile(path.resolve(job.pack));
				await page.type('#form', job.form || '');
			}
			const t1 = Date.now();
			await page.evaluate(() => {
				document.querySelector('#bundle').removeAttribute('href');
				document.querySelector('#status').textContent = '';
			});
			await page.click('#seal');
			await page.waitForFunction(() => {
				const s = document.querySelector('#status');
				return document.querySelector('#bundle').href.startsWith('blob:') ||
				       (s.className === 'bad' && s.textContent !== '');
			}, {timeout: 0, polling: 50});
			out.runs.push(Date.now() - t1);
			if (job.sets)
				out.sets.push(await page.evaluate(() => {
					const m = Object.fromEntries(performance.getEntriesByType('mark')
					                                 .map((x) => [x.name, x.startTime]));
					return {sealed: document.querySelector('#bundle').href.startsWith('blob:'),
					        findMs: m['ferry-found'] - m['ferry-find']};
				}));
		}
		out.sealMs = out.runs[out.runs.length - 1];
		// The page's own marks of its last run: finding the code, sealing.
		out.marks = await page.evaluate(() => Object.fromEntries(
		    performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
		out.peakKiB = rendererPeakKiB();
		out.status = await page.$eval('#status', (s) => s.textContent);
		out.bad = await page.$eval('#status', (s) => s.className === 'bad');
		out.detail = await page.$eval('#detail-text', (s) => s.textContent);
		out.report = await page.$$eval('#report li', (l) => l.map((x) => x.textContent));
		out.href = await page.$eval('#bundle', (a) => a.getAttribute('href') || '');
		out.download = await page.$eval('#bundle', (a) => a.download || '');
		if (job.screenshot)
			await page.screenshot({path: job.screenshot, fullPage: true});
		if (job.downloads && out.href.startsWith('blob:')) {
			const done = new Promise((resolve) => cdp.on('Browser.downloadProgress', (e) => {
				if (e.state === 'completed' || e.state === 'canceled')
					resolve(e.state);
			}));
			await page.click('#bundle');
			out.downloadState = await done;
			out.bundle = path.join(path.resolve(job.downloads), out.download);
		}
		// What the page's origin holds; a store this origin (file://)
		// cannot have at all counts as empty, and says so.
		out.storage = await page.evaluate(async () => {
			const s = {};
			const count = async (name, f) => {
				try {
					s[name] = await f();
				} catch (e) {
					s[name] = 0;
					s[name + 'Unavailable'] = e.name;
				}
			};
			await count('localStorage', () => localStorage.length);
			await count('sessionStorage', () => sessionStorage.length);
			await count('cookies', () => document.cookie.length);
			await count('indexedDB', async () => (await indexedDB.databases()).length);
			await count('caches', async () => (await caches.keys()).length);
			await count('serviceWorkers',
			            async () => (await navigator.serviceWorker.getRegistrations()).length);
			return s;
		});
		out.csp = await page.evaluate(() => window.__csp);
	} finally {
		await browser.close();
		fs.rmSync(job.userDataDir, {recursive: true, force: true});
	}
	console.log(JSON.stringify(out));
}

main().catch((e) => {
	console.error('drive.js: ' + (e && e.stack || e));
	process.exit(2);
});
