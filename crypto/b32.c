#include "b32.h"

static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int ferry_b32_value(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	switch (c) {
	case 'O': return 0;
	case 'I':
	case 'L': return 1;
	case 'U': return -1;
	default: break;
	}
	for (int i = 0; i < 32; i++)
		if (ALPHABET[i] == c)
			return i;
	return -1;
}

int ferry_b32_encode(char *out, size_t outcap, const uint8_t *in, size_t inlen)
{
	size_t need = FERRY_B32_LEN(inlen);
	if (outcap < need + 1)
		return -1;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < inlen; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = ALPHABET[(acc >> bits) & 31];
		}
	}
	if (bits > 0)
		out[o++] = ALPHABET[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return 0;
}

int ferry_b32_decode(uint8_t *out, size_t outlen, const char *in, size_t inlen)
{
	size_t need = FERRY_B32_LEN(outlen);
	if (inlen != need)
		return -1;
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t o = 0;
	for (size_t i = 0; i < inlen; i++) {
		int v = ferry_b32_value(in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o < outlen)
				out[o++] = (uint8_t)(acc >> bits);
		}
		acc &= (1u << bits) - 1u;
	}
	/* Leftover bits are padding and must be zero, so every code has
	 * exactly one spelling. */
	if (o != outlen || acc != 0)
		return -1;
	return 0;
}
