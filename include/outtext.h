/*
 * outtext: the one way outside text reaches a terminal.
 *
 * File names, paths, environment values and the strings of JSON files
 * may hold bytes a terminal obeys: C0 controls (ESC starts CSI and OSC
 * sequences; OSC 52 writes the clipboard), DEL, C1 controls (U+0080 to
 * U+009F, and the raw byte 0x9b, an 8-bit CSI) and bytes that are not
 * UTF-8. Everything of gradscope's that writes such text to standard
 * output or standard error passes it through here, and each of those is
 * replaced by a visible '?' (one per byte of it), as the screen does.
 * Printable UTF-8 is kept as it is.
 *
 * Pure: no allocation; outtext_write does stdio only.
 */
#ifndef GRADSCOPE_OUTTEXT_H
#define GRADSCOPE_OUTTEXT_H

#include <stddef.h>
#include <stdio.h>

/* Bytes (1 to 4) of the printable UTF-8 character at the start of the n
 * bytes at s, or 0 when they do not start one: a C0 or C1 control, DEL,
 * a stray or missing continuation byte, an overlong form, a surrogate or
 * a code point past U+10FFFF. */
int outtext_char_len(const char *s, size_t n);

/* Writes the n bytes at s to out, each byte of what outtext_char_len
 * refuses as '?'. */
void outtext_write(FILE *out, const char *s, size_t n);

/* s, cleaned as outtext_write would write it, into buf (size bytes,
 * size > 0), cut at a character boundary when it does not fit. Returns
 * buf. */
char *outtext_clean(const char *s, char *buf, size_t size);

#endif
