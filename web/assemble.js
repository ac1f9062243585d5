// Puts the offline page together: web/page.html with the style, the
// strings and their translations (po/*.po, read with Debian's
// gettext-parser), the page's script, emscripten's loader and the wasm (base64)
// inlined, and a Content-Security-Policy that allows exactly that inline
// script and style (by their SHA-256) and compiling wasm, nothing else.
//
//   node web/assemble.js LOADER.js VERSIONS OUT.html
//
// The wasm is LOADER.js's name with .wasm; the page hands its bytes to the
// loader, which so never fetches anything. Written to a temporary file and
// renamed: a failed build leaves no page.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const gettextParser = require('gettext-parser');

const MAX_BYTES = 4 * 1024 * 1024;
const [loaderPath, versionsPath, outPath] = process.argv.slice(2);
if (!outPath) {
	console.error('usage: node web/assemble.js LOADER.js VERSIONS OUT.html');
	process.exit(2);
}
const web = __dirname;
const read = (p) => fs.readFileSync(p, 'utf8');
const wasm = fs.readFileSync(loaderPath.replace(/\.js$/, '.wasm'));
const versions = read(versionsPath).trim().split('\n').join(', ');

// The page's languages and the catalog each is read from: the English of
// every message to its translation. A fuzzy or empty entry is left out,
// so the page shows the English (msgfmt -c in make check counts them).
const LANGUAGES = {ko: 'ko.po', zh: 'zh_CN.po'};
const catalog = {};
for (const [lang, file] of Object.entries(LANGUAGES)) {
	const po = gettextParser.po.parse(fs.readFileSync(path.join(web, '..', 'po', file)));
	catalog[lang] = {};
	for (const entries of Object.values(po.translations))
		for (const [id, m] of Object.entries(entries)) {
			const fuzzy = m.comments && /\bfuzzy\b/.test(m.comments.flag || '');
			if (id && !fuzzy && m.msgstr[0])
				catalog[lang][id] = m.msgstr[0];
		}
}

const script = [
	read(path.join(web, 'strings.js')),
	'const FERRY_CATALOG = ' + JSON.stringify(catalog) + ';',
	'const FERRY_WASM = ' + JSON.stringify(wasm.toString('base64')) + ';',
	'const FERRY_BUILT = ' +
	    JSON.stringify('ferry-seal, offline page; wasm from Debian sources: ' + versions) + ';',
	read(loaderPath),
	read(path.join(web, 'page.js')),
].join('\n');
const style = read(path.join(web, 'page.css'));
for (const [name, text] of [['script', script], ['style', style]])
	if (/<\/(script|style)/i.test(text))
		throw new Error(name + ' contains a closing tag');

const hash = (text) => "'sha256-" + crypto.createHash('sha256').update(text, 'utf8').digest('base64') + "'";
const csp = [
	"default-src 'none'",
	'script-src ' + hash(script) + " 'wasm-unsafe-eval'",
	'style-src ' + hash(style),
	"base-uri 'none'",
	"form-action 'none'",
].join('; ');

const page = read(path.join(web, 'page.html'))
	.replace('@CSP@', () => csp)
	.replace('@STYLE@', () => style)
	.replace('@SCRIPT@', () => script);
const size = Buffer.byteLength(page);
if (size > MAX_BYTES) {
	console.error(`web/assemble.js: the page is ${size} bytes, more than ${MAX_BYTES}`);
	process.exit(1);
}
const tmp = outPath + '.tmp-' + process.pid;
fs.writeFileSync(tmp, page, {mode: 0o644});
fs.renameSync(tmp, outPath);
console.log(`${outPath}: ${size} bytes (wasm ${wasm.length})`);
