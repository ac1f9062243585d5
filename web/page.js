// The offline page's script: the contact's choices in, ferry's C (wasm,
// web/ferry_web.c) does the work. The browser decodes each photo to
// pixels; the code is looked for in wasm; the photos are sealed by the
// same sanitizer and sealer as ferry-seal's, in wasm's memory file system.
// Nothing is stored and nothing is sent: no fetch, no storage, no worker.
'use strict';
(function () {
	// The kinds of web/ferry_web.c (fw_kind).
	const OK = 0, RETRY = 12;
	// The photo is searched first at this size (the long side, pixels),
	// which reads most codes fast, then whole if no code was found.
	const FIRST_SIDE = 2000;
	// At most this many pixels (a phone's canvas limit is about 16 M).
	const MAX_PIXELS = 16 * 1024 * 1024;

	const $ = (id) => document.getElementById(id);
	let lang = 'en';
	let M = null;
	let chunks = [];
	let bundleUrl = null;
	let bundleFile = null;

	function pickLanguage() {
		for (const l of navigator.languages || [navigator.language || 'en']) {
			const p = String(l).toLowerCase().slice(0, 2);
			if (p === 'en' || p in FERRY_CATALOG)
				return p;
		}
		return 'en';
	}

	// English looked up in the page's language (po/, by web/assemble.js):
	// the page's own texts and, through ferry_tr, the library's.
	function lookup(english) {
		const table = FERRY_CATALOG[lang];
		return (table && table[english]) || null;
	}

	// With n = 1, a key's singular (keyOne) where there is one.
	function t(key, args) {
		if (args && args.n === 1 && FERRY_STRINGS[key + 'One'])
			key += 'One';
		const en = FERRY_STRINGS[key] || key;
		let s = lookup(en) || en;
		for (const k in args || {})
			s = s.split('{' + k + '}').join(String(args[k]));
		return s;
	}

	let statusKey = 'loading', statusArgs = {};
	function status(key, args, bad) {
		statusKey = key;
		statusArgs = args || {};
		$('status').textContent = t(key, args);
		$('status').className = bad ? 'bad' : '';
	}

	function applyLanguage(l) {
		lang = l;
		document.documentElement.lang = l;
		document.title = t('title');
		for (const el of document.querySelectorAll('[data-t]'))
			el.textContent = t(el.dataset.t);
		for (const b of document.querySelectorAll('#langs button'))
			b.setAttribute('aria-pressed', String(b.dataset.lang === l));
		status(statusKey, statusArgs, $('status').className === 'bad');
		if (lastReport)
			showReport(lastReport);
	}

	function refuse(kind) {
		status('kind' + kind, {}, true);
		const msg = M ? M.UTF8ToString(M._fw_message()) : '';
		$('detail-text').textContent = msg;
		$('detail').hidden = !msg;
	}

	// A C string in wasm memory, freed by the caller.
	function cstr(s) {
		const n = M.lengthBytesUTF8(s) + 1;
		const p = M._malloc(n);
		M.stringToUTF8(s, p, n);
		return p;
	}

	function withStrings(list, fn) {
		const ps = list.map(cstr);
		try {
			return fn(...ps);
		} finally {
			ps.forEach((p) => M._free(p));
		}
	}

	// One photo's pixels, gray, in wasm memory, at most side pixels on the
	// long side (0: whole, up to MAX_PIXELS). The caller frees .ptr.
	function grayOf(bitmap, side) {
		let s = 1;
		const long = Math.max(bitmap.width, bitmap.height);
		if (side && long > side)
			s = side / long;
		if (bitmap.width * bitmap.height * s * s > MAX_PIXELS)
			s = Math.sqrt(MAX_PIXELS / (bitmap.width * bitmap.height));
		const w = Math.max(1, Math.round(bitmap.width * s));
		const h = Math.max(1, Math.round(bitmap.height * s));
		const canvas = document.createElement('canvas');
		canvas.width = w;
		canvas.height = h;
		const ctx = canvas.getContext('2d', {willReadFrequently: true});
		ctx.drawImage(bitmap, 0, 0, w, h);
		const rgba = ctx.getImageData(0, 0, w, h).data;
		canvas.width = canvas.height = 0;
		const ptr = M._malloc(w * h);
		if (!ptr)
			return null;
		const px = M.HEAPU8.subarray(ptr, ptr + w * h);
		for (let i = 0, j = 0; i < px.length; i++, j += 4)
			px[i] = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
		return {ptr, w, h};
	}

	// Looks for the form's code on one photo: first reduced, then whole.
	async function findOn(file, i, n) {
		status('reading', {n: i + 1, m: n});
		await new Promise((r) => setTimeout(r, 0)); // let the status show
		let bitmap = null;
		try {
			bitmap = await createImageBitmap(file);
		} catch (e) {
			bitmap = null; // not an image the browser reads: no code on it
		}
		const name = file.name;
		let kind;
		if (!bitmap)
			return withStrings([name], (np) => M._fw_find_page(0, 0, 0, np, 1));
		try {
			for (const [side, last] of [[FIRST_SIDE, 0], [0, 1]]) {
				const g = grayOf(bitmap, side);
				if (!g)
					return 11;
				kind = withStrings([name], (np) => M._fw_find_page(g.ptr, g.w, g.h, np, last));
				M._free(g.ptr);
				if (kind !== RETRY)
					break;
			}
		} finally {
			bitmap.close();
		}
		return kind;
	}

	function readFile(file) {
		return file.arrayBuffer().then((b) => new Uint8Array(b));
	}

	// The photos into wasm's memory file system, under names that say
	// which photo a message is about; removed once sealed.
	async function putPages(files) {
		const paths = [];
		try {
			M.FS.mkdir('/photos');
		} catch (e) {
			// there from a previous seal
		}
		for (let i = 0; i < files.length; i++) {
			const safe = files[i].name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
			const path = '/photos/' + (i + 1) + '-' + safe;
			M.FS.writeFile(path, await readFile(files[i]));
			paths.push(path);
		}
		return paths;
	}

	function dropPages(paths) {
		for (const p of paths) {
			try {
				M.FS.unlink(p);
			} catch (e) {
				// already gone
			}
		}
	}

	function sealPaths(paths) {
		const ptrs = paths.map(cstr);
		const arr = M._malloc(4 * ptrs.length);
		M.HEAPU32.set(ptrs, arr >> 2);
		chunks = [];
		try {
			return M._fw_seal(arr, ptrs.length);
		} finally {
			ptrs.forEach((p) => M._free(p));
			M._free(arr);
		}
	}

	let lastReport = null;
	function showReport(r) {
		const ul = $('report');
		ul.textContent = '';
		const add = (text) => {
			const li = document.createElement('li');
			li.textContent = text;
			ul.appendChild(li);
		};
		add(t(r.proven ? 'proven' : 'codeOnly'));
		const carried = r.pages.filter((p) => p.code).map((p) => p.n);
		if (carried.length)
			add(t('carried', {n: carried.join(', ')}));
		// What the sanitizer removed, in the words of the language the
		// page had when it sealed.
		for (const p of r.pages)
			add(t('removed', {n: p.n, what: p.removed}));
		$('bundle').textContent = t('save');
		$('share').textContent = t('share');
	}

	function parseReport(text) {
		const r = {pages: []};
		for (const line of text.split('\n')) {
			const f = line.split('\t');
			if (f[0] === 'form') {
				r.form = f[1];
				r.proven = f[2] === 'proven';
				r.bytes = f[3];
				r.name = f[4];
			} else if (f[0] === 'page') {
				r.pages.push({n: f[1], code: f[2] === 'code', removed: f[3]});
			}
		}
		return r;
	}

	function forgetBundle() {
		if (bundleUrl)
			URL.revokeObjectURL(bundleUrl);
		bundleUrl = null;
		bundleFile = null;
		chunks = [];
		lastReport = null;
		$('result').hidden = true;
		$('bundle').removeAttribute('href');
	}

	async function seal() {
		const desk = $('desk').value.trim();
		const files = Array.from($('pages').files || []);
		forgetBundle();
		$('detail').hidden = true;
		if (!desk)
			return status('needDesk', {}, true);
		if (!files.length)
			return status('needPages', {}, true);
		$('seal').disabled = true;
		let paths = [];
		try {
			M._fw_reset();
			// Marks for the bench (tests/bench_web.sh); they stay in
			// this tab's memory.
			performance.clearMarks();
			performance.mark('ferry-find');
			let kind = OK;
			for (let i = 0; i < files.length && kind === OK; i++)
				kind = await findOn(files[i], i, files.length);
			performance.mark('ferry-found');
			const pack = ($('pack').files || [])[0];
			if (kind === OK && pack) {
				const bytes = await readFile(pack);
				const p = M._malloc(bytes.length || 1);
				M.HEAPU8.set(bytes, p);
				kind = withStrings([$('form').value.trim(), desk],
				                   (fp, dp) => M._fw_use_pack(p, bytes.length, fp, dp));
				M._free(p);
			} else if (kind === OK) {
				kind = withStrings([desk], (dp) => M._fw_find_end(dp));
			}
			if (kind === OK)
				kind = withStrings([$('word').value.trim()], (wp) => M._fw_set_word(wp));
			if (kind !== OK)
				return refuse(kind);
			status('sealing', {n: files.length});
			await new Promise((r) => setTimeout(r, 0));
			performance.mark('ferry-seal');
			paths = await putPages(files);
			kind = sealPaths(paths);
			performance.mark('ferry-sealed');
			if (kind !== OK) {
				chunks = [];
				return refuse(kind);
			}
			const r = parseReport(M.UTF8ToString(M._fw_report()));
			const blob = new Blob(chunks, {type: 'application/octet-stream'});
			chunks = [];
			bundleUrl = URL.createObjectURL(blob);
			bundleFile = new File([blob], r.name, {type: 'application/octet-stream'});
			$('bundle').href = bundleUrl;
			$('bundle').download = r.name;
			$('share').hidden = !(navigator.canShare && navigator.canShare({files: [bundleFile]}));
			lastReport = r;
			showReport(r);
			$('result').hidden = false;
			// The word and the photos are not kept for a second seal,
			// which the desk would see as the form answered twice.
			$('word').value = '';
			$('pages').value = '';
			status('sealed', {n: files.length, form: r.form, bytes: r.bytes});
		} catch (e) {
			chunks = [];
			status('kind11', {}, true);
			$('detail-text').textContent = String(e && e.message || e);
			$('detail').hidden = false;
		} finally {
			dropPages(paths);
			M._fw_reset();
			$('seal').disabled = false;
		}
	}

	async function share() {
		try {
			await navigator.share({files: [bundleFile]});
		} catch (e) {
			// the contact closed the share sheet
		}
	}

	function wasmBytes() {
		const s = atob(FERRY_WASM);
		const b = new Uint8Array(s.length);
		for (let i = 0; i < s.length; i++)
			b[i] = s.charCodeAt(i);
		return b;
	}

	async function start() {
		applyLanguage(pickLanguage());
		$('built').textContent = FERRY_BUILT;
		for (const b of document.querySelectorAll('#langs button'))
			b.addEventListener('click', () => applyLanguage(b.dataset.lang));
		$('seal').addEventListener('click', seal);
		$('share').addEventListener('click', share);
		if (typeof WebAssembly !== 'object')
			return status('noWasm', {}, true);
		try {
			M = await FerrySealModule({
				wasmBinary: wasmBytes(),
				ferryLookup: lookup,
				ferryEmit: (bytes) => {
					chunks.push(bytes);
					return true;
				},
				print: () => {},
				printErr: () => {},
			});
			if (M._fw_init() !== OK)
				throw new Error('sodium_init failed');
		} catch (e) {
			M = null;
			status('noWasm', {}, true);
			$('detail-text').textContent = String(e && e.message || e);
			$('detail').hidden = false;
			return;
		}
		status('ready');
		$('seal').disabled = false;
	}

	start();
})();
