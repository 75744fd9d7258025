/*
 * term: the terminal, the only module that includes <curses.h>.
 * See include/term.h for the contract.
 *
 * Three ways out, each restoring the terminal:
 *   - term_close (also run at exit): endwin, then the signal handlers the
 *     program had before term_open.
 *   - SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
 *     SIGVTALRM, SIGPROF (default action: end the program): the handler
 *     sets a flag, term_read_key reports TERM_KEY_QUIT and the loop
 *     closes as on q. A second such signal while the first is still
 *     pending (the loop is busy in a long compute) restores the terminal
 *     in the handler and dies of it.
 *   - SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS, SIGQUIT,
 *     SIGXCPU, SIGXFSZ (default action: end the program and dump core):
 *     the handler restores the terminal with async-signal-safe calls only
 *     (tcsetattr with the modes saved at open, write of escape sequences
 *     read from terminfo at open) and raises the signal again with its
 *     default action, so the crash still reports and dumps core.
 *   A signal ignored when the view opened (nohup) stays ignored.
 * And one way to step out and back in:
 *   - SIGTSTP (Ctrl-Z): restored as for a crash, then the process stops.
 *     Our handler, not ncurses' (which calls endwin from the handler): it
 *     is installed before newterm, so ncurses leaves SIGTSTP alone.
 *   - SIGCONT (fg, or kill -CONT after a SIGSTOP nothing could catch):
 *     the handler puts the program's modes back at once, since the shell
 *     may have reset them while it had the terminal, and sets a flag;
 *     term_read_key then lets curses take the screen back and reports a
 *     resize, so that the loop repaints all of it.
 */
/* wcwidth is X/Open; Debian's ncursesw flags ask for it already. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 600
#endif

#include "term.h"

/* Wide-character curses (wget_wch, setcchar) are declared only with
 * NCURSES_WIDECHAR, which Debian's pkg-config flags imply through
 * _XOPEN_SOURCE=600; say so here so the file does not depend on them. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termcap.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "errmsg.h"
#include "keymap.h"
#include "theme.h"

/* ---------------------------------------------------------------------- */
/* State                                                                  */
/* ---------------------------------------------------------------------- */

/* Every signal whose default action ends the program, in two kinds (see
 * term.h): those that would only end it ask the loop to quit, as q does;
 * those that would also dump core (crashes, Ctrl-\, a CPU or file size
 * limit) restore the terminal and die as they would have. */
static const int term_quit_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE,
    SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF};
static const int term_crash_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL,
    SIGABRT, SIGTRAP, SIGSYS, SIGQUIT, SIGXCPU, SIGXFSZ};
/* Stopping and going on, each with a handler of its own. */
static const int term_stop_signal[] = {SIGTSTP};
static const int term_cont_signal[] = {SIGCONT};
#define TERM_NQUIT (sizeof term_quit_signals / sizeof term_quit_signals[0])
#define TERM_NCRASH (sizeof term_crash_signals / sizeof term_crash_signals[0])

static SCREEN *term_screen;
static int term_is_open;
static int term_glyphs_utf8;
static int term_colour;      /* colours drawn at all */
static int term_own_colours; /* colour -1 is the terminal's own */
static int term_depth;       /* 8, 16 or 256, for theme_nearest */
static int term_resized;
static int term_atexit_done;
static struct sigaction term_old_quit[TERM_NQUIT];
static struct sigaction term_old_crash[TERM_NCRASH];
static struct sigaction term_old_stop[1];
static struct sigaction term_old_cont[1];

/* The theme in use (the default until term_set_theme), and the
 * attributes it gives each role. */
static Theme term_theme;
static int term_theme_set;
static attr_t term_role_attr[GRID_ROLE_COUNT];

/* What the signal handlers read: the modes to put back, and the escape
 * sequences that leave the screen as ncurses found it. */
static volatile sig_atomic_t term_quit;
static volatile sig_atomic_t term_restore_ready;
static struct termios term_saved_modes;
/* The modes curses set, put back on SIGCONT; and that it happened. */
static volatile sig_atomic_t term_prog_ready;
static struct termios term_prog_modes;
static volatile sig_atomic_t term_continued;
static char term_leave_seq[256];
static size_t term_leave_len;
/* The mouse: wanted (term_set_mouse), and on now. */
static int term_mouse_wanted;
static int term_mouse_on;

/* Mouse reporting on (presses and the wheel, SGR encoding) and off. */
#define TERM_MOUSE_ENABLE "\033[?1000h\033[?1006h"
#define TERM_MOUSE_DISABLE "\033[?1006l\033[?1000l"

/* ---------------------------------------------------------------------- */
/* Signals                                                                */
/* ---------------------------------------------------------------------- */

/* Async-signal-safe: tcsetattr and write only. */
static void term_restore_in_handler(void)
{
	size_t off = 0;
	ssize_t n;

	if (!term_restore_ready)
		return;
	term_restore_ready = 0;
	while (off < term_leave_len) {
		n = write(STDOUT_FILENO, term_leave_seq + off,
		    term_leave_len - off);
		if (n <= 0 && errno != EINTR)
			break;
		if (n > 0)
			off += (size_t)n;
	}
	tcsetattr(STDOUT_FILENO, TCSANOW, &term_saved_modes);
}

/* Restores the terminal and dies of sig with its default action. */
static void term_die(int sig)
{
	int saved_errno = errno;

	term_restore_in_handler();
	signal(sig, SIG_DFL);
	raise(sig);
	errno = saved_errno;
}

static void term_on_quit(int sig)
{
	if (term_quit)
		term_die(sig);
	else
		term_quit = 1;
}

/*
 * Ctrl-Z: restores the terminal, then stops with SIGTSTP's default
 * action; once continued, catches it again. SIGTTOU is blocked while it
 * restores: when gradscope is not the only process of the job (a wrapper
 * script), the shell may take the terminal back as soon as the others
 * stop, and the restore, refused to a background process, would stop us
 * with the terminal still in curses' modes. (The mask is the handler's
 * own, put back when it returns.)
 */
static void term_on_stop(int sig)
{
	int saved_errno = errno, was_ready = term_restore_ready;
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTTOU);
	sigprocmask(SIG_BLOCK, &set, NULL);
	term_restore_in_handler();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(sig);
	/* Continued: term_on_continue has run. */
	sa.sa_handler = term_on_stop;
	sigaction(sig, &sa, NULL);
	term_restore_ready = was_ready;
	errno = saved_errno;
}

static void term_on_continue(int sig)
{
	int saved_errno = errno;

	(void)sig;
	if (term_prog_ready)
		tcsetattr(STDOUT_FILENO, TCSANOW, &term_prog_modes);
	term_continued = 1;
	errno = saved_errno;
}

/* Installs handler for each of sigs, keeping the old actions. No
 * SA_RESTART: a quit signal must interrupt the wait for a key. A signal
 * ignored when the view opened stays ignored, as the one who started us
 * asked (nohup ignores SIGHUP; a shell without job control, SIGINT and
 * SIGQUIT for a job in the background). */
static void term_catch(const int *sigs, size_t n, void (*handler)(int),
    struct sigaction *old)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < n; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < n; i++)
		if (sigaction(sigs[i], NULL, &old[i]) == 0 &&
		    old[i].sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}

static void term_uncatch(const int *sigs, size_t n, const struct sigaction *old)
{
	size_t i;

	for (i = 0; i < n; i++)
		sigaction(sigs[i], &old[i], NULL);
}

/* ---------------------------------------------------------------------- */
/* Opening and closing                                                    */
/* ---------------------------------------------------------------------- */

/* TERM as a message may quote it: at most 40 bytes, '?' for anything
 * but printable ASCII, so no escape sequence reaches the terminal. */
static void term_show(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len && i < 40; i++)
		buf[i] = s[i] >= ' ' && s[i] <= '~' ? s[i] : '?';
	buf[i] = '\0';
}

/* The terminfo string cap, or NULL when the terminal has none. */
static const char *term_cap(const char *cap)
{
	const char *s = tigetstr(cap);

	return s == NULL || s == (const char *)-1 ? NULL : s;
}

/* Appends cap to the sequence the crash handler writes, without its
 * padding ("$<5>"), which only tputs understands. */
static void term_add_leave(const char *cap)
{
	const char *s = term_cap(cap), *end;

	if (s == NULL)
		return;
	while (*s != '\0' && term_leave_len + 1 < sizeof term_leave_seq) {
		if (s[0] == '$' && s[1] == '<' &&
		    (end = strchr(s, '>')) != NULL) {
			s = end + 1;
			continue;
		}
		term_leave_seq[term_leave_len++] = *s++;
	}
}

/* Colours when the terminal has them and NO_COLOR is unset or empty
 * (https://no-color.org); term_apply_theme then sets the pairs. */
static void term_init_colour(void)
{
	const char *no_colour = getenv("NO_COLOR");

	term_colour = 0;
	if ((no_colour != NULL && no_colour[0] != '\0') || !has_colors())
		return;
	if (start_color() == ERR || COLOR_PAIRS <= GRID_ROLE_COUNT)
		return;
	term_own_colours = use_default_colors() != ERR;
	term_colour = 1;
	/* A direct-colour terminal (xterm-direct: COLORS is 2^24) takes
	 * numbers from 8 up as RGB values, not indexes: only the 8 ANSI
	 * colours mean the same there. */
	term_depth = COLORS > 256 ? 8 :
	    COLORS == 256         ? 256 :
	    COLORS >= 16          ? 16 :
	                            8;
}

/*
 * The terminal's number for theme colour c, -1 for its own. With 8 or 16
 * colours, black, white and the greys are not drawn over the terminal's
 * own background: that is one of them, in a palette nobody knows
 * (Solarized's bright black is its background colour), so a grey
 * foreground there becomes the terminal's own foreground.
 */
static int term_colour_number(int c, int fg_on_own_bg)
{
	int n = theme_nearest(c, term_depth);

	if (fg_on_own_bg && term_depth < 256 &&
	    (n == COLOR_BLACK || n == COLOR_WHITE || n == 8 || n == 15))
		return -1;
	return n;
}

/*
 * Each role's attributes and colour pair (pair role + 1) from the theme.
 * A role on the terminal's background takes the text's, so that "text"
 * sets the background of the whole screen. Without colour, bold stays
 * and secondary text is dimmed; the glyphs carry the meaning.
 */
static void term_apply_theme(void)
{
	int text_bg = term_theme.role[GRID_ROLE_TEXT].bg;
	int role, fg, bg;

	for (role = 0; role < GRID_ROLE_COUNT; role++) {
		const ThemeColor *tc = &term_theme.role[role];

		term_role_attr[role] = tc->bold ? A_BOLD : 0;
		if (!term_colour && role == GRID_ROLE_DIM)
			term_role_attr[role] |= A_DIM;
		if (!term_colour)
			continue;
		bg = term_colour_number(tc->bg != THEME_DEFAULT ? tc->bg :
		                                                  text_bg,
		    0);
		fg = term_colour_number(tc->fg, bg == -1);
		/* Without default colours, -1 means nothing: the usual
		 * white on black stands in for the terminal's own. */
		if (!term_own_colours) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(role + 1), (short)fg, (short)bg);
	}
}

void term_set_theme(const Theme *t)
{
	term_theme = *t;
	term_theme_set = 1;
	if (term_is_open)
		term_apply_theme();
}

/*
 * Ctrl-S would stop all output (IXON flow control) until Ctrl-Q: to
 * anyone who does not know that, a frozen view. The view has no use for
 * it, so it is off while the view is open; def_prog_mode tells curses,
 * which puts these modes back after a stop, and endwin (or the crash
 * handler) the ones from before term_open.
 */
static void term_no_flow_control(void)
{
	struct termios t;

	if (tcgetattr(STDOUT_FILENO, &t) == 0 && (t.c_iflag & IXON) != 0) {
		t.c_iflag &= ~(tcflag_t)IXON;
		if (tcsetattr(STDOUT_FILENO, TCSANOW, &t) == 0)
			def_prog_mode();
	}
}

/* LINES or COLUMNS, which curses believes over the terminal's own size,
 * cut to max: COLUMNS=10000 LINES=5000 would have curses allocate 4.5 GB
 * of screens before the first key. */
static void term_cap_env(const char *name, int max)
{
	const char *v = getenv(name);
	char buf[16];

	if (v != NULL && strtol(v, NULL, 10) > max) {
		snprintf(buf, sizeof buf, "%d", max);
		setenv(name, buf, 1);
	}
}

/* After a resize: a window past the cap is drawn in its top-left
 * TERM_MAX_ROWS x TERM_MAX_COLS cells. */
static void term_cap_size(void)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	if (rows > TERM_MAX_ROWS || cols > TERM_MAX_COLS)
		resize_term(rows > TERM_MAX_ROWS ? TERM_MAX_ROWS : rows,
		    cols > TERM_MAX_COLS ? TERM_MAX_COLS : cols);
}

void term_set_mouse(int on)
{
	term_mouse_wanted = on != 0;
}

/* Presses and the wheel, through curses where its terminfo entry knows
 * the terminal's mouse, and the SGR encoding asked for directly, which
 * term_read_key decodes where curses does not. */
static void term_mouse_start(void)
{
	mousemask(BUTTON1_PRESSED | BUTTON2_PRESSED | BUTTON3_PRESSED |
	        BUTTON4_PRESSED | BUTTON5_PRESSED,
	    NULL);
	mouseinterval(0);
	fputs(TERM_MOUSE_ENABLE, stdout);
	fflush(stdout);
	term_mouse_on = 1;
}

static void term_mouse_stop(void)
{
	if (!term_mouse_on)
		return;
	mousemask(0, NULL);
	fputs(TERM_MOUSE_DISABLE, stdout);
	fflush(stdout);
	term_mouse_on = 0;
}

int term_mouse_decode(int key, int *button, int *row, int *col)
{
	if ((key & ~0x0fffffff) != TERM_MOUSE_BASE)
		return 0;
	*button = (key >> 22) & 0x3f;
	*row = (key >> 11) & 0x7ff;
	*col = key & 0x7ff;
	return 1;
}

/* A press at 0-based (row, col) as a key; motion, releases and other
 * buttons are no key. */
static int term_mouse_key(int button, int row, int col)
{
	if (button < 1 || button > 5 || row < 0 || col < 0 ||
	    row >= TERM_MAX_ROWS || col >= TERM_MAX_COLS)
		return 0;
	return TERM_MOUSE_KEY(button, row, col);
}

int term_open(int ascii, char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	const char *codeset;
	char shown[48];

	if (term_is_open)
		return 0;
	if (!isatty(STDIN_FILENO))
		return errmsg_set(err, errlen,
		    "standard input is not a "
		    "terminal; use --dump for the table");
	if (!isatty(STDOUT_FILENO))
		return errmsg_set(err, errlen,
		    "standard output is not a "
		    "terminal; use --dump for the table");
	if (term == NULL || term[0] == '\0')
		return errmsg_set(err, errlen,
		    "TERM is not set, so the live "
		    "view cannot drive this terminal; use --dump for the "
		    "table");
	if (strcmp(term, "dumb") == 0)
		return errmsg_set(err, errlen,
		    "TERM=dumb cannot draw the live "
		    "view; use --dump for the table");
	if (tcgetattr(STDOUT_FILENO, &term_saved_modes) < 0)
		return errmsg_set(err, errlen,
		    "cannot read the terminal's "
		    "settings: %s",
		    strerror(errno));

	/* LC_CTYPE only: the CLI's strtod must keep reading '.' as the
	 * decimal point whatever LC_NUMERIC the user has. */
	setlocale(LC_CTYPE, "");
	codeset = nl_langinfo(CODESET);
	term_glyphs_utf8 = !ascii && strcmp(codeset, "UTF-8") == 0;

	term_show(term, shown, sizeof shown);
	/*
	 * Judge the terminal type before newterm, which already writes to
	 * the screen (smcup): a refusal must print nothing but its line.
	 * tgetent loads the terminfo entry that tigetstr then reads.
	 */
	switch (tgetent(NULL, term)) {
	case 1:
		break;
	case 0:
		return errmsg_set(err, errlen,
		    "terminal type '%s' is not "
		    "known to terminfo, or too limited; use --dump for the "
		    "table",
		    shown);
	default:
		return errmsg_set(err, errlen,
		    "no terminfo database to "
		    "describe TERM=%s; use --dump for the table",
		    shown);
	}
	if (term_cap("cup") == NULL)
		return errmsg_set(err, errlen,
		    "terminal type '%s' cannot "
		    "move the cursor; use --dump for the table",
		    shown);
	/* Before newterm, which installs its own SIGTSTP handler only
	 * where it finds the default action. Until term_restore_ready and
	 * term_prog_ready are set below, the handlers only stop and go on. */
	term_catch(term_stop_signal, 1, term_on_stop, term_old_stop);
	term_catch(term_cont_signal, 1, term_on_continue, term_old_cont);
	term_cap_env("LINES", TERM_MAX_ROWS);
	term_cap_env("COLUMNS", TERM_MAX_COLS);
	/* newterm, not initscr: initscr prints its own message and exits
	 * when it cannot set up the terminal. */
	term_screen = newterm(NULL, stdout, stdin);
	if (term_screen == NULL) {
		term_uncatch(term_cont_signal, 1, term_old_cont);
		term_uncatch(term_stop_signal, 1, term_old_stop);
		return errmsg_set(err, errlen,
		    "curses cannot set up terminal "
		    "type '%s'; use --dump for the table",
		    shown);
	}

	term_leave_len = 0;
	if (term_mouse_wanted) {
		memcpy(term_leave_seq, TERM_MOUSE_DISABLE,
		    sizeof TERM_MOUSE_DISABLE - 1);
		term_leave_len = sizeof TERM_MOUSE_DISABLE - 1;
	}
	term_add_leave("sgr0");
	term_add_leave("cnorm");
	term_add_leave("rmkx");
	term_add_leave("rmcup");

	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	term_no_flow_control();
	term_cap_size();
	/* Esc quits: wait only briefly for the rest of an escape sequence
	 * (an arrow key), which arrives in one read on any local link. */
	set_escdelay(25);
	term_init_colour();
	if (!term_theme_set) {
		theme_default(&term_theme);
		term_theme_set = 1;
	}
	term_apply_theme();
	if (term_mouse_wanted)
		term_mouse_start();

	/* After newterm, which installs ncurses' own SIGINT and SIGTERM
	 * handlers; the old actions are the program's, from before. */
	term_quit = 0;
	term_catch(term_quit_signals, TERM_NQUIT, term_on_quit, term_old_quit);
	term_catch(term_crash_signals, TERM_NCRASH, term_die, term_old_crash);
	term_restore_ready = 1;
	term_continued = 0;
	term_prog_ready = tcgetattr(STDOUT_FILENO, &term_prog_modes) == 0;
	term_is_open = 1;
	term_resized = 1;
	if (!term_atexit_done && atexit(term_close) == 0)
		term_atexit_done = 1;
	return 0;
}

void term_close(void)
{
	if (!term_is_open)
		return;
	term_is_open = 0;
	term_restore_ready = 0;
	term_prog_ready = 0;
	term_mouse_stop();
	endwin();
	delscreen(term_screen);
	term_screen = NULL;
	term_uncatch(term_crash_signals, TERM_NCRASH, term_old_crash);
	term_uncatch(term_quit_signals, TERM_NQUIT, term_old_quit);
	term_uncatch(term_cont_signal, 1, term_old_cont);
	term_uncatch(term_stop_signal, 1, term_old_stop);
}

int term_utf8(void)
{
	return term_glyphs_utf8;
}

int term_mono(void)
{
	return !term_colour;
}

void term_size(int *rows, int *cols)
{
	*rows = 0;
	*cols = 0;
	if (term_is_open)
		getmaxyx(stdscr, *rows, *cols);
}

/* ---------------------------------------------------------------------- */
/* Keys                                                                   */
/* ---------------------------------------------------------------------- */

/* A key no binding uses: the loop looks it up, finds nothing, and it is
 * not mistaken for a timeout. */
#define TERM_KEY_UNBOUND 0

/* A mouse event curses decoded. */
static int term_curses_mouse(void)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return TERM_KEY_UNBOUND;
	return term_mouse_key(ev.bstate & BUTTON1_PRESSED ? 1 :
	        ev.bstate & BUTTON2_PRESSED               ? 2 :
	        ev.bstate & BUTTON3_PRESSED               ? 3 :
	        ev.bstate & BUTTON4_PRESSED               ? 4 :
	        ev.bstate & BUTTON5_PRESSED               ? 5 :
	                                                    0,
	    ev.y, ev.x);
}

/* The rest of an SGR mouse report after "ESC [ <": "b;x;y" and M for a
 * press, m for a release, all waiting already (the terminal writes it
 * at once). Buttons 0-2 are the first three, 64 and 65 the wheel; the
 * modifier bits (4, 8, 16) are ignored, motion (32) is no key. */
static int term_sgr_mouse(void)
{
	long v[3] = {0, 0, 0};
	int i = 0, r, digits = 0;
	wint_t k;

	wtimeout(stdscr, 0);
	for (;;) {
		r = wget_wch(stdscr, &k);
		if (r != OK)
			return TERM_KEY_UNBOUND;
		if (k >= '0' && k <= '9') {
			if (v[i] < 100000)
				v[i] = v[i] * 10 + (long)(k - '0');
			digits = 1;
		} else if (k == ';' && i < 2 && digits) {
			i++;
			digits = 0;
		} else if ((k == 'M' || k == 'm') && i == 2 && digits) {
			break;
		} else {
			return TERM_KEY_UNBOUND;
		}
	}
	if (k == 'm' || (v[0] & 32))
		return TERM_KEY_UNBOUND;
	v[0] &= ~28L;
	return term_mouse_key(v[0] < 3 ? (int)v[0] + 1 :
	        v[0] == 64             ? 4 :
	        v[0] == 65             ? 5 :
	                                 0,
	    (int)(v[2] - 1), (int)(v[1] - 1));
}

static int term_function_key(wint_t k)
{
	switch (k) {
	case KEY_LEFT:
		return KEYMAP_KEY_LEFT;
	case KEY_RIGHT:
		return KEYMAP_KEY_RIGHT;
	case KEY_UP:
		return KEYMAP_KEY_UP;
	case KEY_DOWN:
		return KEYMAP_KEY_DOWN;
	case KEY_PPAGE:
		return KEYMAP_KEY_PPAGE;
	case KEY_NPAGE:
		return KEYMAP_KEY_NPAGE;
	/* Home and End as xterm's entries name what tmux and the VT
	 * keypad send, ESC [ 1 ~ and ESC [ 4 ~: Find and Select. */
	case KEY_HOME:
	case KEY_FIND:
		return KEYMAP_KEY_HOME;
	case KEY_END:
	case KEY_SELECT:
		return KEYMAP_KEY_END;
	case KEY_RESIZE:
		term_cap_size();
		term_resized = 1;
		return TERM_KEY_RESIZE;
	case KEY_MOUSE:
		return term_curses_mouse();
	default:
		return TERM_KEY_UNBOUND;
	}
}

/* After a stop: while the shell had the terminal it may have written
 * over the screen, left the alternate screen or resized the window.
 * endwin, then the next refresh enters curses mode afresh (the alternate
 * screen, keypad mode, the hidden cursor), and term_resized has the
 * next term_draw paint every cell. */
static int term_resume(void)
{
	term_continued = 0;
	endwin();
	term_resized = 1;
	/* The stop handler switched the mouse off with the other modes. */
	if (term_mouse_on) {
		fputs(TERM_MOUSE_ENABLE, stdout);
		fflush(stdout);
	}
	return TERM_KEY_RESIZE;
}

/*
 * Esc, or Alt+key: a terminal sends Alt+x as ESC then x in one write, so
 * a key already waiting after an ESC (curses has waited ESCDELAY for the
 * rest of a function key, and kept what did not make one) is that key,
 * read as the key itself; Esc alone, or Esc twice, is Esc.
 */
static int term_after_escape(void)
{
	wint_t k;
	int r;

	wtimeout(stdscr, 0);
	r = wget_wch(stdscr, &k);
	if (r == KEY_CODE_YES)
		return term_function_key(k);
	if (r == ERR || k == 27)
		return KEYMAP_KEY_ESC;
	/* ESC [ <: a mouse report curses did not know; ESC [ 1 ~ and
	 * ESC [ 4 ~ (7 ~, 8 ~): Home and End as tmux and rxvt send them
	 * where the terminfo entry says otherwise; ESC [ and anything else
	 * stays Alt+[ as before. */
	if (k == '[') {
		wint_t k2, k3;

		if (wget_wch(stdscr, &k2) == OK) {
			if (k2 == '<' && term_mouse_on)
				return term_sgr_mouse();
			if (k2 == '1' || k2 == '4' || k2 == '7' || k2 == '8') {
				if (wget_wch(stdscr, &k3) == OK) {
					if (k3 == '~')
						return k2 == '1' || k2 == '7' ?
						    KEYMAP_KEY_HOME :
						    KEYMAP_KEY_END;
					unget_wch((wchar_t)k3);
				}
			}
			unget_wch((wchar_t)k2);
		}
	}
	return (int)k;
}

int term_read_key(int timeout_ms)
{
	wint_t k;
	int r;

	if (term_quit || !term_is_open)
		return TERM_KEY_QUIT;
	if (term_continued)
		return term_resume();
	wtimeout(stdscr, timeout_ms);
	r = wget_wch(stdscr, &k);
	if (term_quit)
		return TERM_KEY_QUIT;
	/* SIGCONT cut the wait short; a key that came is kept for now. */
	if (r == ERR && term_continued)
		return term_resume();
	if (r == KEY_CODE_YES)
		return term_function_key(k);
	if (r == ERR)
		return TERM_KEY_NONE;
	if (k == 27)
		return term_after_escape();
	return (int)k;
}

/* ---------------------------------------------------------------------- */
/* Drawing                                                                */
/* ---------------------------------------------------------------------- */

/* The wide character of a cell's glyph; '?' for anything that is not
 * one character of width 1 the terminal can show. */
static wchar_t term_glyph(const char *glyph)
{
	const unsigned char c = (unsigned char)glyph[0];
	mbstate_t st;
	wchar_t wc;
	size_t n;

	if (c == '\0')
		return L' ';
	if (c < 0x80)
		return c >= 0x20 && c < 0x7f ? (wchar_t)c : L'?';
	if (!term_glyphs_utf8)
		return L'?';
	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, glyph, strlen(glyph), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0 || wcwidth(wc) != 1)
		return L'?';
	return wc;
}

void term_draw(const Grid *g)
{
	int rows, cols, r, c;
	wchar_t wstr[2] = {0, 0};
	cchar_t cc;

	if (!term_is_open)
		return;
	getmaxyx(stdscr, rows, cols);
	/* After a resize the terminal may have reflowed what it showed:
	 * paint everything afresh rather than trust ncurses' copy. */
	if (term_resized) {
		clearok(curscr, TRUE);
		term_resized = 0;
	}
	if (g->rows != rows || g->cols != cols)
		werase(stdscr);
	if (g->rows < rows)
		rows = g->rows;
	if (g->cols < cols)
		cols = g->cols;
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++) {
			const GridCell *cell = &g->cells[r * g->cols + c];
			unsigned role = cell->role < GRID_ROLE_COUNT ?
			    cell->role :
			    GRID_ROLE_TEXT;
			attr_t a = term_role_attr[role];

			if (cell->attr & GRID_ATTR_BOLD)
				a |= A_BOLD;
			if (cell->attr & GRID_ATTR_REVERSE)
				a |= A_REVERSE;
			wstr[0] = term_glyph(cell->glyph);
			setcchar(&cc, wstr, a,
			    term_colour ? (short)(role + 1) : 0, NULL);
			/* The bottom-right cell returns ERR (the cursor
			 * cannot advance past it) but is drawn. */
			mvwadd_wch(stdscr, r, c, &cc);
		}
	}
	wnoutrefresh(stdscr);
	doupdate();
}
