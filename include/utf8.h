/*
 * utf8: stepping through, measuring and decoding UTF-8 text, the one
 * place that knows how the bytes of a character are laid out.
 *
 * The grid holds one character of display width 1 per cell, so a
 * character's width on screen is one cell: utf8_cells counts characters.
 *
 * Pure C: no I/O.
 */
#ifndef GRADSCOPE_UTF8_H
#define GRADSCOPE_UTF8_H

#include <stddef.h>

/* A continuation byte (10xxxxxx): it never starts a character, so a cut
 * or a count of characters skips it. */
static inline int utf8_continues(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* Bytes of the character at p: its first byte and the continuation
 * bytes after it (1 for a stray continuation byte; p[0] != '\0'). */
size_t utf8_char_len(const char *p);

/* Cells text takes on a grid: one per character, i.e. per byte that is
 * not a continuation byte. */
int utf8_cells(const char *text);

/* The character at s as a code point, or -1 if it is not well-formed
 * (overlong, a surrogate, past U+10FFFF, cut short, a stray
 * continuation byte); *len gets the bytes it takes, 1 for a malformed
 * one. ASCII, control characters included, decodes as itself. */
long utf8_decode(const char *s, int *len);

#endif
