/*
 * svg: the chart as a vector image for slides and handouts.
 * See include/svg.h.
 *
 * The page, in user units (px), 1200 x 900, white:
 *
 *   main title                 the caller's, or built from the parameters
 *   parameter line             λ=1.5 · L=150 · n=2 · init identity · ...
 *   verdict                    the view's words (src/view.c)
 *   activation chart           title, plot 1030 x 300 at (100, 140)
 *   gradient chart             title, plot 1030 x 300 at (100, 510)
 *   "layer" and the legend
 *
 * The vertical axis. A plot spans 10^lo .. 10^hi, the range the view's
 * scale takes at once for the same data (scale.h: the finite non-zero
 * magnitudes rounded out to decades, at least 10^-1 .. 10^1, so 10^0 is
 * always inside). With ppd = 300 / (hi - lo) px per decade the critical
 * line lies at y = top + hi * ppd, and a finite non-zero value v draws a
 * bar from the line to y = line - log10(v) * ppd: |log10 v| * ppd high, a
 * <rect class="bar up"> above 1 and a <rect class="bar down"> below; a
 * value of exactly 1 gets a <rect class="bar flat"> of height 0, so that
 * every layer has its shape. log10 comes from xmag_log10: 1e+528 and
 * 1e-331 are placed like any other value and never become doubles.
 * Decade labels read as on the terminal ("1e+26") every 1, 2, 5, 10, ...
 * decades, at least 16 px apart, plus the ends of the range when there is
 * room.
 *
 * The layer axis. Layer l (0..L) spans x from 100 + l * w to
 * 100 + (l + 1) * w, w = 1030 / (L + 1); a bar takes its middle 80 % (at
 * most 48 px). Past SVG_BINS layers the layers are cut into exactly
 * SVG_BINS bins, bin k holding layers k * N / SVG_BINS up to the next
 * bin's first (N = L + 1), and each bin draws one bar spanning its layers
 * (and half a pixel more, against antialiasing seams) for their extreme:
 * chart_extreme, the view's aggregation rule. The chart title says so. A
 * deep network's file stays small that way. Both charts share the bins;
 * the weight-gradient chart has no layer 0.
 *
 * Without colour. Bars above 1 are solid; bars below 1 are hatched, in a
 * pattern laid in page coordinates so that narrow neighbours read as one
 * hatched area. inf, 0 and nan are never bars: a triangle pointing up at
 * the top edge, one pointing down at the bottom edge, a "?" on the line;
 * the right end of the chart's title row says which layers they mark.
 *
 * Coordinates are written by svg_num, not printf's %f: a decimal comma,
 * from whatever locale the caller set, would break the document.
 */
#include "svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "param.h"
#include "logaxis.h"
#include "scale.h"
#include "utf8.h"
#include "verdict.h"
#include "xmag.h"

/* Bars per chart at most; deeper networks aggregate. */
#define SVG_BINS 2000

#define SVG_W 1200
#define SVG_H 900
#define SVG_PLOT_X 100.0
#define SVG_PLOT_W 1030.0
#define SVG_PLOT_H 300.0
#define SVG_BAR_MAX 48.0   /* widest bar, px */
#define SVG_LABEL_GAP 16.0 /* least px between decade labels */
#define SVG_TICK_GAP 60.0  /* least px between layer labels */

static const double svg_plot_top[2] = {140, 510};

/* Colours: Okabe-Ito vermillion and blue, which stay apart for the
 * colour-blind; the fill and hatching keep them apart in print. */
#define SVG_UP_FILL "#d55e00"
#define SVG_DOWN_LINE "#0072b2"
#define SVG_DOWN_FILL "#d6e6f4"
#define SVG_GRID "#d9d9d9"

/* ---------------------------------------------------------------------- */
/* Output                                                                 */
/* ---------------------------------------------------------------------- */

typedef struct {
	FILE *out;
	int failed;
} SvgOut;

__attribute__((format(printf, 2, 3))) static void svg_printf(SvgOut *o,
    const char *fmt, ...)
{
	va_list ap;

	if (o->failed)
		return;
	va_start(ap, fmt);
	if (vfprintf(o->out, fmt, ap) < 0)
		o->failed = 1;
	va_end(ap);
}

/* A coordinate with at most two decimals and no trailing zeros ("12.5",
 * "300"), whatever the locale. Returned by value so that several can be
 * arguments of one svg_printf. */
typedef struct {
	char s[32];
} SvgNum;

static SvgNum svg_num(double x)
{
	SvgNum n;
	long long c = llround(x * 100);
	long long a = c < 0 ? -c : c;
	size_t len;

	len = (size_t)snprintf(n.s, sizeof n.s, "%s%lld.%02lld",
	    c < 0 ? "-" : "", a / 100, a % 100);
	while (n.s[len - 1] == '0')
		n.s[--len] = '\0';
	if (n.s[len - 1] == '.')
		n.s[--len] = '\0';
	return n;
}

/* Text as XML character data or attribute value: markup characters
 * escaped, line breaks and tabs as spaces, and anything XML 1.0 cannot
 * hold (control characters, malformed UTF-8, U+FFFE, U+FFFF) as U+FFFD,
 * so that the document parses whatever the title holds. */
static void svg_text(SvgOut *o, const char *text)
{
	const char *s = text;
	long c;
	int len;

	while (*s != '\0' && !o->failed) {
		c = utf8_decode(s, &len);
		switch (c) {
		case '&':
			svg_printf(o, "&amp;");
			break;
		case '<':
			svg_printf(o, "&lt;");
			break;
		case '>':
			svg_printf(o, "&gt;");
			break;
		case '"':
			svg_printf(o, "&quot;");
			break;
		case '\'':
			svg_printf(o, "&apos;");
			break;
		case '\t':
		case '\n':
		case '\r':
			svg_printf(o, " ");
			break;
		default:
			if (c < 0x20 || c == 0xfffe || c == 0xffff)
				svg_printf(o, "\xef\xbf\xbd");
			else
				svg_printf(o, "%.*s", len, s);
			break;
		}
		s += len;
	}
}

/* ---------------------------------------------------------------------- */
/* Title, parameters, verdict                                             */
/* ---------------------------------------------------------------------- */

static void svg_params(SvgOut *o, const EngineConfig *cfg)
{
	char line[512];

	param_line(cfg, PARAM_LINE_SVG, line, sizeof line);
	svg_printf(o, "%s", line);
}

static void svg_title(SvgOut *o, const EngineConfig *cfg, const char *title)
{
	char line[512];

	if (title != NULL && title[0] != '\0') {
		svg_text(o, title);
		return;
	}
	param_line(cfg, PARAM_LINE_SVG_TITLE, line, sizeof line);
	svg_printf(o, "Signal propagation: %s", line);
}

/* The verdict in the view's words (verdict.h), its word in bold. */
static void svg_verdict(SvgOut *o, const EngineResult *res)
{
	char buf[512];

	if (verdict_format(res, VERDICT_SVG, buf, sizeof buf) < 0) {
		o->failed = 1;
		return;
	}
	svg_printf(o, "%s", buf);
}

/* ---------------------------------------------------------------------- */
/* One chart                                                              */
/* ---------------------------------------------------------------------- */

/* Where one chart lies on the page. */
typedef struct {
	double top, bottom, line; /* y of the plot's edges and of 10^0 */
	double ppd;               /* px per decade */
	int lo, hi;               /* the range, in decades */
	int layers;               /* L + 1 */
	int bins;                 /* bars at most: layers, or SVG_BINS */
	double w;                 /* px per layer */
} SvgPlot;

static double svg_layer_x(const SvgPlot *p, double layer)
{
	return SVG_PLOT_X + layer * p->w;
}

/* Decade d's label, tick and light grid line. */
static void svg_decade_label(SvgOut *o, const SvgPlot *p, int d)
{
	char buf[16];
	double y = p->line - d * p->ppd;

	if (logaxis_decade_label(d, buf, sizeof buf) < 0)
		return;
	svg_printf(o,
	    "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
	    "stroke=\"" SVG_GRID "\" stroke-width=\"0.6\"/>\n",
	    svg_num(SVG_PLOT_X).s, svg_num(y).s,
	    svg_num(SVG_PLOT_X + SVG_PLOT_W).s, svg_num(y).s);
	svg_printf(o,
	    "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
	    "stroke=\"#000\"/>\n<text x=\"%s\" y=\"%s\" "
	    "text-anchor=\"end\">%s</text>\n",
	    svg_num(SVG_PLOT_X - 5).s, svg_num(y).s, svg_num(SVG_PLOT_X).s,
	    svg_num(y).s, svg_num(SVG_PLOT_X - 8).s, svg_num(y + 4).s, buf);
}

/* Decade labels, ticks and light grid lines; the critical line's label
 * is drawn with the line. */
static void svg_decades(SvgOut *o, const SvgPlot *p)
{
	long long k = logaxis_step(p->ppd, SVG_LABEL_GAP), d;

	svg_printf(o, "<g class=\"decades\" font-size=\"12\">\n");
	for (d = k; d <= p->hi; d += k)
		svg_decade_label(o, p, (int)d);
	if (p->hi % k != 0 && (p->hi % k) * p->ppd >= SVG_LABEL_GAP)
		svg_decade_label(o, p, p->hi);
	for (d = -k; d >= p->lo; d -= k)
		svg_decade_label(o, p, (int)d);
	if (p->lo % k != 0 && (-p->lo % k) * p->ppd >= SVG_LABEL_GAP)
		svg_decade_label(o, p, p->lo);
	svg_printf(o, "</g>\n");
}

/* Layer l's tick and number under the plot. */
static void svg_layer_tick(SvgOut *o, const SvgPlot *p, long long l)
{
	double x = svg_layer_x(p, (double)l + 0.5);

	svg_printf(o,
	    "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
	    "stroke=\"#000\"/><text x=\"%s\" y=\"%s\">%lld</text>\n",
	    svg_num(x).s, svg_num(p->bottom).s, svg_num(x).s,
	    svg_num(p->bottom + 5).s, svg_num(x).s, svg_num(p->bottom + 18).s,
	    l);
}

/* Round layer numbers at least SVG_TICK_GAP apart, and the last layer
 * always: a round number too close to it gives way. */
static void svg_layer_ticks(SvgOut *o, const SvgPlot *p)
{
	long long last = p->layers - 1, step = 1, l;

	while (step * p->w < SVG_TICK_GAP && step < last)
		step = logaxis_next_round((int)step);
	svg_printf(o,
	    "<g class=\"layers\" font-size=\"12\" "
	    "text-anchor=\"middle\">\n");
	for (l = 0; l < last; l += step)
		if ((last - l) * p->w >= SVG_TICK_GAP)
			svg_layer_tick(o, p, l);
	svg_layer_tick(o, p, last);
	svg_printf(o, "</g>\n");
}

/* What a bin shows. */
typedef enum {
	SVG_NONE,
	SVG_UP,
	SVG_DOWN,
	SVG_FLAT,
	SVG_INF,
	SVG_ZERO,
	SVG_NAN
} SvgKind;

static SvgKind svg_kind(XMag v, double *lg)
{
	*lg = 0;
	if (xmag_is_nan(v))
		return SVG_NAN;
	if (xmag_is_inf(v))
		return SVG_INF;
	if (xmag_is_zero(v))
		return SVG_ZERO;
	*lg = xmag_log10(v);
	return *lg > 0 ? SVG_UP : *lg < 0 ? SVG_DOWN : SVG_FLAT;
}

/* Bin k of the chart whose values start at layer from: its layers
 * [*first, *last], what it shows and, for a bar, log10 of the extreme.
 * SVG_NONE when it has no value (layer 0 of the weight chart). */
static SvgKind svg_bin_kind(const SvgPlot *p, const XMag *v, int from, int k,
    int *first, int *last, double *lg)
{
	ChartAxis ax;

	/* The bins are the view's columns (chart.h): k * N / bins on. */
	*lg = 0;
	chart_axis_init(&ax, p->layers, p->bins);
	if (chart_column_layers(&ax, k, first, last) < 0)
		return SVG_NONE;
	if (*first < from)
		*first = from;
	if (*first > *last)
		return SVG_NONE;
	return svg_kind(chart_extreme(v, *first, *last), lg);
}

/* The shapes of one kind, in layer order: a bar's rect or a special's
 * mark per bin. */
static void svg_shapes(SvgOut *o, const SvgPlot *p, const XMag *v, int from,
    SvgKind kind)
{
	static const char *const names[] = {
	    [SVG_UP] = "up",
	    [SVG_DOWN] = "down",
	    [SVG_FLAT] = "flat",
	};
	double lg, x0, x1, cx, hw, inset, grow;
	int k, first, last;

	for (k = 0; k < p->bins; k++) {
		if (svg_bin_kind(p, v, from, k, &first, &last, &lg) != kind)
			continue;
		x0 = svg_layer_x(p, first);
		x1 = svg_layer_x(p, last + 1);
		cx = (x0 + x1) / 2;
		/* Triangles as wide as the slot, within 3 .. 10 px: a run
		 * of them on a deep network is a band, which the chart's
		 * title row names (svg_specials). */
		hw = fmin(fmax((x1 - x0) / 2, 1.5), 5);
		switch (kind) {
		case SVG_INF:
			svg_printf(o,
			    "<polygon class=\"mark inf\" points=\""
			    "%s,%s %s,%s %s,%s\"/>\n",
			    svg_num(cx - hw).s, svg_num(p->top + 9).s,
			    svg_num(cx + hw).s, svg_num(p->top + 9).s,
			    svg_num(cx).s, svg_num(p->top).s);
			break;
		case SVG_ZERO:
			svg_printf(o,
			    "<polygon class=\"mark zero\" points=\""
			    "%s,%s %s,%s %s,%s\"/>\n",
			    svg_num(cx - hw).s, svg_num(p->bottom - 9).s,
			    svg_num(cx + hw).s, svg_num(p->bottom - 9).s,
			    svg_num(cx).s, svg_num(p->bottom).s);
			break;
		case SVG_NAN:
			svg_printf(o,
			    "<text class=\"mark nan\" x=\"%s\" "
			    "y=\"%s\">?</text>\n",
			    svg_num(cx).s, svg_num(p->line + 5).s);
			break;
		case SVG_NONE: /* no shape, and never asked for */
			break;
		case SVG_UP:
		case SVG_DOWN:
		case SVG_FLAT:
			/* Bars of single layers keep a gap between them.
			 * Aggregated bars reach half a pixel into the next
			 * one, or antialiasing would leave pale seams. */
			inset = grow = 0;
			if (p->bins == p->layers) {
				inset = (x1 - x0) * 0.1;
				if (x1 - x0 - 2 * inset > SVG_BAR_MAX)
					inset = (x1 - x0 - SVG_BAR_MAX) / 2;
			} else {
				grow = 0.5;
			}
			svg_printf(o,
			    "<rect class=\"bar %s\" x=\"%s\" "
			    "y=\"%s\" width=\"%s\" height=\"%s\"/>\n",
			    names[kind], svg_num(x0 + inset).s,
			    svg_num(lg > 0 ? p->line - lg * p->ppd : p->line).s,
			    svg_num(x1 - x0 - 2 * inset + grow).s,
			    svg_num(fabs(lg) * p->ppd).s);
			break;
		}
	}
}

/* Writes into buf what the specials of v[from .. depth] are and where:
 * "▲ inf: layers 219–300", "▼ 0: 12 of layers 3–40", "? nan: layer 7".
 * The marks alone turn into a band on a deep network. */
static void svg_specials(char *buf, size_t len, const XMag *v, int from,
    int depth)
{
	static const char *const names[] = {"▲ inf", "▼ 0", "? nan"};
	int n[3] = {0, 0, 0}, first[3], last[3], l, i;
	size_t used = 0;

	/* Predicates, not svg_kind: no log10 per layer. */
	for (l = from; l <= depth; l++) {
		i = xmag_is_inf(v[l])  ? 0 :
		    xmag_is_zero(v[l]) ? 1 :
		    xmag_is_nan(v[l])  ? 2 :
		                         -1;
		if (i < 0)
			continue;
		if (n[i]++ == 0)
			first[i] = l;
		last[i] = l;
	}
	buf[0] = '\0';
	for (i = 0; i < 3 && used < len; i++) {
		if (n[i] == 0)
			continue;
		if (n[i] == 1)
			snprintf(buf + used, len - used, "%s%s: layer %d",
			    used > 0 ? " · " : "", names[i], first[i]);
		else if (n[i] == last[i] - first[i] + 1)
			snprintf(buf + used, len - used, "%s%s: layers %d–%d",
			    used > 0 ? " · " : "", names[i], first[i], last[i]);
		else
			snprintf(buf + used, len - used,
			    "%s%s: %d of layers "
			    "%d–%d",
			    used > 0 ? " · " : "", names[i], n[i], first[i],
			    last[i]);
		used = strlen(buf);
	}
}

/* The chart title, what a bar stands for when bins aggregate, and on the
 * right of the same row the specials, if they fit beside it. */
static void svg_chart_title(SvgOut *o, const SvgPlot *p, const char *title,
    const XMag *v, int from, int depth)
{
	char note[96] = "", specials[192];
	int small = p->layers / p->bins;
	int big = (p->layers + p->bins - 1) / p->bins;
	double width;

	if (p->bins < p->layers && small == big)
		snprintf(note, sizeof note,
		    "(%d bars, each the extreme of "
		    "%d layers)",
		    p->bins, small);
	else if (p->bins < p->layers)
		snprintf(note, sizeof note,
		    "(%d bars, each the extreme of "
		    "%d–%d layers)",
		    p->bins, small, big);
	svg_printf(o,
	    "<text x=\"%s\" y=\"%s\" font-size=\"17\" "
	    "font-weight=\"bold\">%s",
	    svg_num(SVG_PLOT_X).s, svg_num(p->top - 12).s, title);
	if (note[0] != '\0')
		svg_printf(o,
		    "<tspan dx=\"10\" font-weight=\"normal\" "
		    "font-size=\"14\">%s</tspan>",
		    note);
	svg_printf(o, "</text>\n");

	/* Widths estimated at 0.6 em a character, generous for the sans
	 * fonts the document asks for. */
	svg_specials(specials, sizeof specials, v, from, depth);
	width = utf8_cells(title) * 17 * 0.6 + 10 +
	    utf8_cells(note) * 14 * 0.6 + 20 + utf8_cells(specials) * 13 * 0.6;
	if (specials[0] != '\0' && width <= SVG_PLOT_W)
		svg_printf(o,
		    "<text class=\"specials\" x=\"%s\" y=\"%s\" "
		    "font-size=\"13\" text-anchor=\"end\">%s</text>\n",
		    svg_num(SVG_PLOT_X + SVG_PLOT_W).s, svg_num(p->top - 12).s,
		    specials);
}

/* One chart: v[from .. depth] on the plot whose top is at y = top. */
/* The baseline (issue 13): a dashed line through where its bars would
 * end, bin by bin, on the same plot (values off the plot are clamped to
 * its edge; inf, 0 and nan break the line). */
static void svg_baseline(SvgOut *o, const SvgPlot *p, const XMag *b, int from,
    int bdepth)
{
	int k, first, last, pen = 0;
	double lg, x, y;
	SvgKind kind;

	svg_printf(o,
	    "<path class=\"baseline\" fill=\"none\" stroke=\"#000\" "
	    "stroke-width=\"1.4\" stroke-dasharray=\"4 3\" d=\"");
	for (k = 0; k < p->bins; k++) {
		kind = svg_bin_kind(p, b, from, k, &first, &last, &lg);
		if (last > bdepth ||
		    (kind != SVG_UP && kind != SVG_DOWN && kind != SVG_FLAT)) {
			pen = 0;
			continue;
		}
		y = p->line - lg * p->ppd;
		y = y < p->top ? p->top : y > p->bottom ? p->bottom : y;
		x = svg_layer_x(p, first);
		svg_printf(o, "%s%s %s", pen ? " L" : " M", svg_num(x).s,
		    svg_num(y).s);
		svg_printf(o, " L%s %s", svg_num(svg_layer_x(p, last + 1)).s,
		    svg_num(y).s);
		pen = 1;
	}
	svg_printf(o, "\"/>\n");
}

static void svg_chart(SvgOut *o, double top, const char *cls, const char *title,
    const XMag *v, int from, int depth, const XMag *b, int bdepth)
{
	static const SvgKind kinds[] = {SVG_UP, SVG_DOWN, SVG_FLAT, SVG_INF,
	    SVG_ZERO, SVG_NAN};
	/* Each kind's group; the fill and outline are set once there. */
	static const char *const groups[] = {
	    "<g class=\"up\" fill=\"" SVG_UP_FILL "\"",
	    "<g class=\"down\" fill=\"url(#hatch)\"",
	    "<g class=\"flat\"",
	    "<g class=\"inf\" fill=\"#000\"",
	    "<g class=\"zero\" fill=\"#000\"",
	    "<g class=\"nan\" font-size=\"14\" font-weight=\"bold\" "
	    "text-anchor=\"middle\"",
	};
	/* An outline on hatched bars only where it leaves room for the
	 * hatching: on narrow bars it would be all one sees. */
	const char *outline = " stroke=\"" SVG_DOWN_LINE "\" "
	                      "stroke-width=\"0.8\"";
	SvgPlot p;
	Scale s;
	double lo, hi;
	size_t i;

	scale_init(&s);
	if (from <= depth && scale_extent(v, from, depth, &lo, &hi) == 0)
		scale_follow(&s, lo, hi);
	/* One scale for the live bars and the baseline. */
	if (b != NULL && from <= bdepth &&
	    scale_extent(b, from, bdepth < depth ? bdepth : depth, &lo, &hi) ==
	        0)
		scale_follow(&s, lo, hi);
	p.lo = s.lo;
	p.hi = s.hi;
	p.top = top;
	p.bottom = top + SVG_PLOT_H;
	p.ppd = SVG_PLOT_H / ((double)p.hi - p.lo);
	p.line = top + p.hi * p.ppd;
	p.layers = depth + 1;
	p.bins = p.layers > SVG_BINS ? SVG_BINS : p.layers;
	p.w = SVG_PLOT_W / p.layers;

	svg_printf(o, "<g class=\"chart %s\">\n", cls);
	svg_chart_title(o, &p, title, v, from, depth);
	svg_decades(o, &p);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		svg_printf(o, "%s%s>\n", groups[i],
		    kinds[i] == SVG_DOWN && SVG_PLOT_W / p.bins * 0.8 >= 3 ?
		        outline :
		        "");
		svg_shapes(o, &p, v, from, kinds[i]);
		svg_printf(o, "</g>\n");
	}
	if (b != NULL)
		svg_baseline(o, &p, b, from, bdepth);
	/* The frame and the critical line over the bars. */
	svg_printf(o,
	    "<rect class=\"frame\" x=\"%s\" y=\"%s\" width=\"%s\" "
	    "height=\"%s\" fill=\"none\" stroke=\"#000\"/>\n",
	    svg_num(SVG_PLOT_X).s, svg_num(p.top).s, svg_num(SVG_PLOT_W).s,
	    svg_num(SVG_PLOT_H).s);
	svg_printf(o,
	    "<g class=\"critical\">\n<line x1=\"%s\" y1=\"%s\" "
	    "x2=\"%s\" y2=\"%s\" stroke=\"#000\" stroke-width=\"1.6\"/>\n",
	    svg_num(SVG_PLOT_X - 5).s, svg_num(p.line).s,
	    svg_num(SVG_PLOT_X + SVG_PLOT_W).s, svg_num(p.line).s);
	svg_printf(o,
	    "<text x=\"%s\" y=\"%s\" font-size=\"12\" "
	    "text-anchor=\"end\" font-weight=\"bold\">1e+00</text>\n"
	    "<text x=\"%s\" y=\"%s\" font-size=\"12\">critical</text>\n"
	    "</g>\n",
	    svg_num(SVG_PLOT_X - 8).s, svg_num(p.line + 4).s,
	    svg_num(SVG_PLOT_X + SVG_PLOT_W + 6).s, svg_num(p.line + 4).s);
	svg_layer_ticks(o, &p);
	svg_printf(o, "</g>\n");
}

/* ---------------------------------------------------------------------- */
/* The document                                                           */
/* ---------------------------------------------------------------------- */

static void svg_legend(SvgOut *o, double y)
{
	double x = SVG_PLOT_X;

	svg_printf(o, "<g class=\"legend\" font-size=\"13\">\n");
	svg_printf(o,
	    "<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"14\" "
	    "fill=\"" SVG_UP_FILL "\"/><text x=\"%s\" y=\"%s\">above 1 "
	    "(grows)</text>\n",
	    svg_num(x).s, svg_num(y - 11).s, svg_num(x + 20).s, svg_num(y).s);
	x += 140;
	svg_printf(o,
	    "<rect x=\"%s\" y=\"%s\" width=\"14\" height=\"14\" "
	    "fill=\"url(#hatch)\" stroke=\"" SVG_DOWN_LINE "\" "
	    "stroke-width=\"0.8\"/><text x=\"%s\" y=\"%s\">below 1 "
	    "(shrinks)</text>\n",
	    svg_num(x).s, svg_num(y - 11).s, svg_num(x + 20).s, svg_num(y).s);
	x += 150;
	svg_printf(o,
	    "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
	    "stroke=\"#000\" stroke-width=\"1.6\"/><text x=\"%s\" y=\"%s\">"
	    "critical line, 1e+00</text>\n",
	    svg_num(x).s, svg_num(y - 4).s, svg_num(x + 20).s, svg_num(y - 4).s,
	    svg_num(x + 26).s, svg_num(y).s);
	x += 190;
	svg_printf(o,
	    "<polygon points=\"%s,%s %s,%s %s,%s\"/><text x=\"%s\" "
	    "y=\"%s\">inf</text>\n",
	    svg_num(x).s, svg_num(y + 1).s, svg_num(x + 10).s, svg_num(y + 1).s,
	    svg_num(x + 5).s, svg_num(y - 9).s, svg_num(x + 16).s,
	    svg_num(y).s);
	x += 60;
	svg_printf(o,
	    "<polygon points=\"%s,%s %s,%s %s,%s\"/><text x=\"%s\" "
	    "y=\"%s\">0</text>\n",
	    svg_num(x).s, svg_num(y - 9).s, svg_num(x + 10).s, svg_num(y - 9).s,
	    svg_num(x + 5).s, svg_num(y + 1).s, svg_num(x + 16).s,
	    svg_num(y).s);
	x += 50;
	svg_printf(o,
	    "<text x=\"%s\" y=\"%s\" font-weight=\"bold\">?</text>"
	    "<text x=\"%s\" y=\"%s\">nan</text>\n",
	    svg_num(x + 1).s, svg_num(y).s, svg_num(x + 16).s, svg_num(y).s);
	svg_printf(o, "</g>\n");
}

int svg_write(FILE *out, const EngineConfig *cfg, const EngineResult *res,
    const char *title, int weight_chart)
{
	return svg_write_baseline(out, cfg, res, title, weight_chart, NULL,
	    NULL);
}

int svg_write_baseline(FILE *out, const EngineConfig *cfg,
    const EngineResult *res, const char *title, int weight_chart,
    const EngineResult *base, const EngineConfig *base_cfg)
{
	const int bd = base != NULL ? base->depth : -1;
	char line[512];
	SvgOut o = {out, 0};

	svg_printf(&o,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
	    "fill=\"#000\">\n<title>",
	    SVG_W, SVG_H, SVG_W, SVG_H);
	svg_title(&o, cfg, title);
	svg_printf(&o, "</title>\n<desc>");
	svg_params(&o, cfg);
	svg_printf(&o,
	    "</desc>\n<defs>\n"
	    "<pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" "
	    "width=\"6\" height=\"6\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"6\" height=\"6\" fill=\"" SVG_DOWN_FILL "\"/>"
	    "<rect width=\"2.4\" height=\"6\" fill=\"" SVG_DOWN_LINE "\"/>"
	    "</pattern>\n</defs>\n"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
	    SVG_W, SVG_H);

	svg_printf(&o,
	    "<text class=\"title\" x=\"%d\" y=\"40\" "
	    "font-size=\"24\" font-weight=\"bold\" text-anchor=\"middle\">",
	    SVG_W / 2);
	svg_title(&o, cfg, title);
	svg_printf(&o,
	    "</text>\n<text class=\"params\" x=\"%d\" y=\"66\" "
	    "font-size=\"15\" text-anchor=\"middle\">",
	    SVG_W / 2);
	svg_params(&o, cfg);
	svg_printf(&o,
	    "</text>\n<text class=\"verdict\" x=\"%d\" y=\"90\" "
	    "font-size=\"15\" text-anchor=\"middle\">",
	    SVG_W / 2);
	svg_verdict(&o, res);
	svg_printf(&o, "</text>\n");
	if (base != NULL) {
		param_line(base_cfg, PARAM_LINE_SVG, line, sizeof line);
		svg_printf(&o,
		    "<text class=\"baseline\" x=\"%d\" y=\"112\" "
		    "font-size=\"13\" text-anchor=\"middle\">baseline "
		    "(dashed): ",
		    SVG_W / 2);
		svg_text(&o, line);
		svg_printf(&o, "</text>\n");
	}

	svg_chart(&o, svg_plot_top[0], "activation", "activation rms per layer",
	    res->activation_rms, 0, res->depth,
	    base != NULL ? base->activation_rms : NULL, bd);
	if (weight_chart)
		svg_chart(&o, svg_plot_top[1], "weight-gradient",
		    "weight gradient rms per layer", res->weight_gradient_rms,
		    1, res->depth,
		    base != NULL ? base->weight_gradient_rms : NULL, bd);
	else
		svg_chart(&o, svg_plot_top[1], "gradient",
		    "gradient rms per layer", res->gradient_rms, 0, res->depth,
		    base != NULL ? base->gradient_rms : NULL, bd);
	svg_printf(&o,
	    "<text x=\"%s\" y=\"%s\" font-size=\"14\" "
	    "text-anchor=\"middle\">layer</text>\n",
	    svg_num(SVG_PLOT_X + SVG_PLOT_W / 2).s,
	    svg_num(svg_plot_top[1] + SVG_PLOT_H + 40).s);
	svg_legend(&o, SVG_H - 18);
	svg_printf(&o, "</svg>\n");

	/* A full disk usually shows only when the buffer goes out: flush
	 * here so that 0 means the document really was written. */
	if (fflush(out) == EOF || ferror(out))
		o.failed = 1;
	return o.failed ? -1 : 0;
}
