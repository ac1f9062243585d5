#include "html.h"

#include <string.h>

static const char *entity(char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

int ferry_html_escape(ferry_write_fn write, void *io, const char *s, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *r = entity(s[i]);
		if (!r)
			continue;
		if ((i > run && write(io, (const uint8_t *)s + run, i - run) != 0) ||
		    write(io, (const uint8_t *)r, strlen(r)) != 0)
			return -1;
		run = i + 1;
	}
	return n > run ? write(io, (const uint8_t *)s + run, n - run) : 0;
}
