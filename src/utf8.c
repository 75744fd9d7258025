/*
 * utf8: stepping through, measuring and decoding UTF-8. See
 * include/utf8.h.
 */
#include "utf8.h"

size_t utf8_char_len(const char *p)
{
	size_t k = 1;

	while (p[k] != '\0' && utf8_continues(p[k]))
		k++;
	return k;
}

int utf8_cells(const char *text)
{
	int n = 0;

	/* Every byte that is not a UTF-8 continuation byte starts a cell. */
	for (; *text != '\0'; text++)
		if (!utf8_continues(*text))
			n++;
	return n;
}

long utf8_decode(const char *text, int *len)
{
	static const long min[4] = {0, 0x80, 0x800, 0x10000};
	const unsigned char *s = (const unsigned char *)text;
	long c;
	int n, i;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[n - 1] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*len = n;
	return c;
}
