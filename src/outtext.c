/*
 * outtext: the one way outside text reaches a terminal.
 * See include/outtext.h.
 */
#include "outtext.h"

#include <string.h>

#include "utf8.h"

int outtext_char_len(const char *s, size_t n)
{
	char buf[5];
	size_t k = n < 4 ? n : 4;
	long c;
	int len;

	/* utf8_decode reads up to a NUL: give it at most the n bytes. */
	memcpy(buf, s, k);
	buf[k] = '\0';
	c = utf8_decode(buf, &len);
	/* Malformed (-1), C0 controls and NUL, DEL, and the C1 controls
	 * U+0080..U+009F, as unprintable as the C0 ones. */
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return 0;
	return len;
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
