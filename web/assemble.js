// Puts the offline page together: web/page.html with the style, the
// strings, the page's script, emscripten's loader and the wasm (base64)
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

const script = [
	read(path.join(web, 'strings.js')),
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
