#include "fields.h"

#include <sodium.h>

int ferry_field_decimal(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	if (n == 0 || n > 19 || (n > 1 && v[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

int ferry_field_hex(uint8_t *out, size_t n, const char *v, size_t vlen)
{
	size_t bin = 0;
	if (vlen != 2 * n)
		return -1;
	for (size_t i = 0; i < vlen; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f')))
			return -1;
	return sodium_hex2bin(out, n, v, vlen, NULL, &bin, NULL) == 0 && bin == n ? 0 : -1;
}

int ferry_field_plain_name(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' ||
		      s[i] == '_'))
			return 0;
	return 1;
}
