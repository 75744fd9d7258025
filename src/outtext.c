/*
 * outtext: the one way outside text reaches a terminal.
 * See include/outtext.h.
 */
#include "outtext.h"

#include <string.h>

int outtext_char_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return u[0] >= 0x20 && u[0] != 0x7f;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		len = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		len = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		len = 4;
	else /* a continuation byte (0x9b among them), 0xc0, 0xc1, 0xf5.. */
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, past U+10FFFF. */
	if ((u[0] == 0xe0 && u[1] < 0xa0) || (u[0] == 0xed && u[1] >= 0xa0) ||
	    (u[0] == 0xf0 && u[1] < 0x90) || (u[0] == 0xf4 && u[1] >= 0x90))
		return 0;
	/* C1 controls, U+0080..U+009F, are as unprintable as C0 ones. */
	if (u[0] == 0xc2 && u[1] < 0xa0)
		return 0;
	return (int)len;
}

void outtext_write(FILE *out, const char *s, size_t n)
{
	size_t i = 0;
	int k;

	while (i < n) {
		k = outtext_char_len(s + i, n - i);
		if (k == 0) {
			putc('?', out);
			i++;
		} else {
			fwrite(s + i, 1, (size_t)k, out);
			i += (size_t)k;
		}
	}
}

char *outtext_clean(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s), i = 0, used = 0;
	int k;

	while (i < n) {
		k = outtext_char_len(s + i, n - i);
		if (used + (size_t)(k > 0 ? k : 1) >= size)
			break;
		if (k == 0) {
			buf[used++] = '?';
			i++;
		} else {
			memcpy(buf + used, s + i, (size_t)k);
			used += (size_t)k;
			i += (size_t)k;
		}
	}
	buf[used] = '\0';
	return buf;
}
