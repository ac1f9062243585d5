// What the offline page says, in English. N_ marks each text for the
// catalogs (po/ko.po, po/zh_CN.po), which ferry-seal shares: web/assemble.js
// puts their translations in the page as FERRY_CATALOG, and the page shows
// a key's English looked up there. {n}, {m}, {form}, {bytes} are filled in.
// The library's own messages (a refusal's detail) are looked up in the
// same catalog by the C (web/ferry_web.c, ferry_tr).
'use strict';
const N_ = (s) => s;
const FERRY_STRINGS = {
	title: N_('ferry: seal the photos of a form'),
	intro: N_('This page seals the photos of an answered form into one bundle that only the desk can open. It works without a network: it loads nothing and sends nothing.'),
	lang: N_('Language'),
	deskLabel: N_('1. The desk\'s fingerprint'),
	deskHelp: N_('From your key card: 32 letters and digits in groups of four. Type it once.'),
	pagesLabel: N_('2. The photos of the form\'s pages'),
	pagesHelp: N_('Take or pick the photos. One of them must show the form\'s square code (QR) sharp and whole.'),
	wordLabel: N_('3. The pack word (from your key card)'),
	wordHelp: N_('With it, the desk knows the bundle comes from you and not from someone who only saw a form. Leave it empty if you do not have it.'),
	packSummary: N_('The code does not read? Use your pack file'),
	packLabel: N_('Pack file'),
	formLabel: N_('Form code printed on the form (like K7QF-M2XA)'),
	seal: N_('Seal'),
	loading: N_('Starting…'),
	ready: N_('Ready. Nothing leaves this page.'),
	reading: N_('Looking for the code on page {n} of {m}…'),
	sealing: N_('Sealing {n} pages…'),
	sealingOne: N_('Sealing 1 page…'),
	sealed: N_('Sealed {n} pages for form {form} ({bytes} bytes).'),
	sealedOne: N_('Sealed 1 page for form {form} ({bytes} bytes).'),
	proven: N_('The bundle carries your pack word: the desk can tell it comes from you.'),
	codeOnly: N_('Sealed without the pack word: the desk will see that it was sealed with the form\'s code alone, which anyone who saw the form could have done.'),
	carried: N_('Pages that carried the form\'s code: {n}.'),
	removed: N_('Page {n}, removed: {what}'),
	save: N_('Save the bundle'),
	share: N_('Share the bundle'),
	after: N_('Once the bundle is sent on, delete it and the photos from this phone, including from the gallery\'s "recently deleted" folder. This page keeps nothing after you close it.'),
	needDesk: N_('Type the desk\'s fingerprint first.'),
	needPages: N_('Pick the photos of the form first.'),
	kind1: N_('No photo shows a readable form code. Photograph the page with the square code sharp and whole, or use your pack file.'),
	kind2: N_('The photos show a square code, but not a ferry form code. Photograph the form\'s own page.'),
	kind3: N_('The photos belong to two different forms. Seal one form\'s pages at a time.'),
	kind4: N_('A code on these photos is not genuine. Do not seal with it; ask the desk whether the form is theirs.'),
	kind5: N_('This form was not made by the desk whose fingerprint you typed. Check the fingerprint; if it is right, do not use this form.'),
	kind6: N_('What you typed is not a fingerprint. Check it against your key card.'),
	kind7: N_('This form has expired. Ask for new forms.'),
	kind8: N_('The pack word is mistyped. Check it against your key card.'),
	kind9: N_('A photo cannot be sealed. Take it again as an ordinary photo (JPEG).'),
	kind10: N_('The pack file or the form code is not right.'),
	kind11: N_('Something went wrong. Nothing was sealed.'),
	kind13: N_('The fingerprint you typed is one or two characters off: probably a typo. Check the group named below against your key card.'),
	detail: N_('Details'),
	noWasm: N_('This browser cannot run the sealer. Use a recent Chrome or Safari.'),
};
