/*
 * check_svg: the exported chart. The document is checked for structure
 * here (tags balanced, attributes quoted, entities known); full XML
 * validation is xmllint's, in tests/e2e/svg.sh. Bar heights are derived
 * from the axis mapping src/svg.c documents (a plot 300 px high spanning
 * the decades lo .. hi, |log10 v| * 300 / (hi - lo) px per bar), with lo
 * and hi worked out here from the data, and read back from the rects.
 */
#include "svg.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "suites.h"
#include "xmag.h"

#define PLOT_X 100.0
#define PLOT_W 1030.0
#define PLOT_H 300.0

/* ---------------------------------------------------------------------- */
/* Helpers                                                                */
/* ---------------------------------------------------------------------- */

/* svg_write into memory; the text (free it) and the return value. */
static char *render(const EngineConfig *cfg, const EngineResult *res,
    const char *title, int weight_chart, int *rc)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(f);
	*rc = svg_write(f, cfg, res, title, weight_chart);
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

/* Computes cfg with the engine and renders it; rc must be 0. */
static char *render_engine(const EngineConfig *cfg, const char *title,
    int weight_chart)
{
	char err[256], *text;
	EngineResult res;
	Engine *eng = engine_new();
	int rc;

	ck_assert_ptr_nonnull(eng);
	ck_assert_msg(engine_compute(eng, cfg, &res, err, sizeof err) == 0,
	    "%s", err);
	text = render(cfg, &res, title, weight_chart, &rc);
	ck_assert_int_eq(rc, 0);
	engine_free(eng);
	return text;
}

static EngineConfig identity(double lambda, int depth, EnginePrecision p)
{
	EngineConfig cfg;

	engine_config_default(&cfg);
	cfg.lambda = lambda;
	cfg.depth = depth;
	cfg.precision = p;
	return cfg;
}

/* A hand-made result over caller arrays of depth + 1, every value 1. */
typedef struct {
	EngineConfig cfg;
	EngineResult res;
} Fake;

static void fake_init(Fake *f, XMag *act, XMag *grad, XMag *wgrad, int depth)
{
	int l;

	f->cfg = identity(1, depth, ENGINE_PRECISION_EXACT);
	f->res.depth = depth;
	f->res.activation_rms = act;
	f->res.gradient_rms = grad;
	f->res.weight_gradient_rms = wgrad;
	for (l = 0; l <= depth; l++)
		act[l] = grad[l] = wgrad[l] = xmag_from_double(1);
	wgrad[0] = xmag_from_double(NAN);
}

/* The chart group whose class is cls ("activation", ...), up to the next
 * chart or the end: a new string (free it). */
static char *chart(const char *doc, const char *cls)
{
	char open[64];
	const char *a, *b;

	snprintf(open, sizeof open, "<g class=\"chart %s\">", cls);
	a = strstr(doc, open);
	ck_assert_msg(a != NULL, "no chart %s", cls);
	b = strstr(a + 1, "<g class=\"chart ");
	if (b == NULL)
		b = a + strlen(a);
	return strndup(a, (size_t)(b - a));
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)) != NULL; s++)
		n++;
	return n;
}

/* The value of attribute name in the tag that starts at tag. */
static double attr(const char *tag, const char *name)
{
	char key[32];
	const char *end = strchr(tag, '>'), *a;

	snprintf(key, sizeof key, " %s=\"", name);
	a = strstr(tag, key);
	ck_assert_msg(a != NULL && a < end, "no %s in %.60s", name, tag);
	return strtod(a + strlen(key), NULL);
}

/* The n-th (0-based) occurrence of what in s, or NULL. */
static const char *nth(const char *s, const char *what, int n)
{
	for (s = strstr(s, what); s != NULL && n > 0; n--)
		s = strstr(s + 1, what);
	return s;
}

/*
 * A small structural check of an XML document: one root element, every
 * tag closed in order, attribute values quoted without a raw '<', no
 * attribute twice, and '&' only in the five named entities or a
 * character reference. Returns NULL, or what is wrong.
 */
static const char *xml_problem(const char *s)
{
	static char why[160];
	char stack[64][32];
	int depth = 0, roots = 0;
	size_t n;

	if (strncmp(s, "<?xml ", 6) != 0)
		return "no XML declaration";
	s = strstr(s, "?>") + 2;
	while (*s != '\0') {
		if (*s == '&') {
			static const char *const ents[] = {
			    "&amp;",
			    "&lt;",
			    "&gt;",
			    "&quot;",
			    "&apos;",
			    "&#",
			};
			size_t i;

			for (i = 0; i < 6; i++)
				if (strncmp(s, ents[i], strlen(ents[i])) == 0)
					break;
			if (i == 6) {
				snprintf(why, sizeof why, "bare &: %.20s", s);
				return why;
			}
			s++;
			continue;
		}
		if (*s != '<') {
			if (depth == 0 && strchr(" \n", *s) == NULL)
				return "text outside the root";
			s++;
			continue;
		}
		if (strncmp(s, "<!--", 4) == 0) {
			s = strstr(s, "-->");
			if (s == NULL)
				return "unclosed comment";
			s += 3;
			continue;
		}
		if (s[1] == '/') {
			n = strcspn(s + 2, ">");
			if (depth == 0 || strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], s + 2, n) != 0) {
				snprintf(why, sizeof why, "</%.*s> closes <%s>",
				    (int)n, s + 2,
				    depth > 0 ? stack[depth - 1] : "");
				return why;
			}
			depth--;
			s += n + 3;
			continue;
		}
		/* An element: name, attributes, then > or />. */
		{
			char names[32][32];
			int nattr = 0, i;

			n = strcspn(s + 1, " />\n");
			if (n == 0 || n >= 32 || depth == 64)
				return "bad element name";
			if (depth == 0 && roots++ > 0)
				return "more than one root";
			memcpy(stack[depth], s + 1, n);
			stack[depth][n] = '\0';
			s += 1 + n;
			for (;;) {
				s += strspn(s, " \n");
				if (*s == '>') {
					depth++;
					s++;
					break;
				}
				if (strncmp(s, "/>", 2) == 0) {
					s += 2;
					break;
				}
				n = strcspn(s, "=> \n");
				if (n == 0 || n >= 32 || s[n] != '=' ||
				    s[n + 1] != '"') {
					snprintf(why, sizeof why,
					    "unquoted "
					    "attribute in <%s>: %.20s",
					    stack[depth], s);
					return why;
				}
				for (i = 0; i < nattr; i++)
					if (strlen(names[i]) == n &&
					    strncmp(names[i], s, n) == 0)
						return "attribute twice";
				if (nattr < 32) {
					memcpy(names[nattr], s, n);
					names[nattr++][n] = '\0';
				}
				s += n + 2;
				n = strcspn(s, "\"<");
				if (s[n] != '"')
					return "'<' or no end in an attribute";
				s += n + 1;
			}
		}
	}
	if (depth != 0)
		return "unclosed element";
	if (roots != 1)
		return "no root element";
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* The document                                                           */
/* ---------------------------------------------------------------------- */

START_TEST(test_document_structure)
{
	EngineConfig cfg = identity(1.5, 150, ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg, NULL, 0);
	const char *why = xml_problem(doc);

	ck_assert_msg(why == NULL, "%s", why);
	ck_assert_ptr_nonnull(strstr(doc,
	    "<svg xmlns=\"http://www.w3.org/"
	    "2000/svg\""));
	ck_assert_ptr_nonnull(strstr(doc,
	    " width=\"1200\" height=\"900\" "
	    "viewBox=\"0 0 1200 900\""));
	ck_assert_str_eq(doc + strlen(doc) - 7, "</svg>\n");
	/* The parts a reader needs: the critical line's label, decade
	 * labels in the terminal's form, both chart titles, a layer axis
	 * that ends at the last layer, the legend. */
	ck_assert_ptr_nonnull(strstr(doc, ">1e+00</text>"));
	ck_assert_ptr_nonnull(strstr(doc, ">1e+26</text>"));
	ck_assert_ptr_nonnull(strstr(doc, ">critical</text>"));
	ck_assert_ptr_nonnull(strstr(doc, ">activation rms per layer<"));
	ck_assert_ptr_nonnull(strstr(doc, ">gradient rms per layer<"));
	ck_assert_ptr_nonnull(strstr(doc, ">150</text>"));
	ck_assert_ptr_nonnull(strstr(doc, ">layer</text>"));
	ck_assert_ptr_nonnull(strstr(doc, "class=\"legend\""));
	free(doc);
}
END_TEST

/* The checker itself must catch what it claims to. */
START_TEST(test_checker_catches)
{
	ck_assert_ptr_null(xml_problem("<?xml v?><a b=\"1\"><c/>&amp;</a>"));
	ck_assert_ptr_nonnull(xml_problem("<?xml v?><a><b></a></b>"));
	ck_assert_ptr_nonnull(xml_problem("<?xml v?><a b=1></a>"));
	ck_assert_ptr_nonnull(xml_problem("<?xml v?><a>&</a>"));
	ck_assert_ptr_nonnull(xml_problem("<?xml v?><a b=\"<\"></a>"));
	ck_assert_ptr_nonnull(xml_problem("<?xml v?><a></a><a></a>"));
	ck_assert_ptr_nonnull(xml_problem("<?xml v?><a>"));
}
END_TEST

/* The title, the parameter line and the verdict, in the view's words. */
START_TEST(test_title_parameters_verdict)
{
	EngineConfig cfg = identity(1.5, 150, ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg, NULL, 0);

	ck_assert_ptr_nonnull(strstr(doc,
	    "<title>Signal propagation: "
	    "λ=1.5, 150 layers, identity init, linear activation</title>"));
	ck_assert_ptr_nonnull(strstr(doc,
	    ">λ=1.5 · L=150 · n=2 · init "
	    "identity · activation linear · precision exact · input ones · "
	    "seed 1 · upstream random · bias std 0 · arch plain · norm none "
	    "· branch scale 1</text>"));
	ck_assert_ptr_nonnull(strstr(doc,
	    ">exploding</tspan>: output "
	    "×2.59e+26, first-layer gradient ×2.59e+26</text>"));
	free(doc);

	cfg = identity(0.5, 150, ENGINE_PRECISION_EXACT);
	doc = render_engine(&cfg, "", 0);
	ck_assert_ptr_nonnull(strstr(doc,
	    "<title>Signal propagation: "
	    "λ=0.5, 150 layers"));
	ck_assert_ptr_nonnull(strstr(doc,
	    ">vanishing</tspan>: output "
	    "×7.01e-46, first-layer gradient ×7.01e-46</text>"));
	free(doc);
}
END_TEST

/* The regime by the first-layer gradient alone, with view.c's bounds. */
START_TEST(test_verdict_regimes)
{
	static const struct {
		double g0;
		const char *want;
	} cases[] = {
	    {10.5,
	        ">exploding</tspan>: output ×1.00e+00, first-layer "
	        "gradient ×1.05e+01<"},
	    {INFINITY,
	        ">exploding</tspan>: output ×1.00e+00, "
	        "first-layer gradient ×inf<"},
	    {9.5, ">near-critical</tspan>"},
	    {0.105, ">near-critical</tspan>"},
	    {0.095, ">vanishing</tspan>"},
	    {0,
	        ">vanishing</tspan>: output ×1.00e+00, first-layer "
	        "gradient ×0<"},
	    {NAN,
	        ">nan</tspan>: the float arithmetic broke down (output "
	        "×1.00e+00, first-layer gradient ×nan)<"},
	};
	XMag act[4], grad[4], wgrad[4];
	Fake f;
	size_t i;
	char *doc;
	int rc;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fake_init(&f, act, grad, wgrad, 3);
		grad[0] = xmag_from_double(cases[i].g0);
		doc = render(&f.cfg, &f.res, NULL, 0, &rc);
		ck_assert_int_eq(rc, 0);
		ck_assert_msg(strstr(doc, cases[i].want) != NULL,
		    "g0 %g: no %s", cases[i].g0, cases[i].want);
		free(doc);
	}
}
END_TEST

START_TEST(test_title_escaped)
{
	EngineConfig cfg = identity(1.5, 10, ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg, "<&> \"q\" 'a'", 0);
	const char *why = xml_problem(doc);
	const char *want = "&lt;&amp;&gt; &quot;q&quot; &apos;a&apos;";

	ck_assert_msg(why == NULL, "%s", why);
	ck_assert_int_eq(count(doc, want), 2); /* <title> and the heading */
	ck_assert_ptr_null(strstr(doc, "<&>"));
	free(doc);
}
END_TEST

/* Whatever bytes a title holds, the document stays XML: control
 * characters and malformed UTF-8 become U+FFFD, line breaks spaces. */
START_TEST(test_title_bad_bytes)
{
	EngineConfig cfg = identity(1.5, 10, ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg,
	    "a\x01"
	    "b\xff"
	    "c\xc3"
	    "d\ne\xed\xa0"
	    "\x80"
	    "f é ✓ 😀",
	    0);

	ck_assert_ptr_nonnull(strstr(doc,
	    "<title>a\xef\xbf\xbd"
	    "b\xef\xbf"
	    "\xbd"
	    "c\xef\xbf\xbd"
	    "d e\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "f é ✓ 😀</title>"));
	free(doc);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Bars                                                                   */
/* ---------------------------------------------------------------------- */

/* One rect per layer in each chart: 151 for L = 150. */
START_TEST(test_one_bar_per_layer)
{
	EngineConfig cfg = identity(1.5, 150, ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg, NULL, 0);
	char *act = chart(doc, "activation"), *grad = chart(doc, "gradient");

	ck_assert_int_eq(count(act, "<rect class=\"bar "), 151);
	ck_assert_int_eq(count(grad, "<rect class=\"bar "), 151);
	/* Layer 0's activation and layer L's gradient are exactly 1. */
	ck_assert_int_eq(count(act, "<rect class=\"bar up\""), 150);
	ck_assert_int_eq(count(act, "<rect class=\"bar flat\""), 1);
	ck_assert_int_eq(count(grad, "<rect class=\"bar flat\""), 1);
	ck_assert_int_eq(count(doc, "class=\"mark"), 0);
	free(act);
	free(grad);
	free(doc);

	/* The weight chart has no layer 0. */
	doc = render_engine(&cfg, NULL, 1);
	grad = chart(doc, "weight-gradient");
	ck_assert_int_eq(count(grad, "<rect class=\"bar "), 150);
	ck_assert_ptr_nonnull(strstr(grad, ">weight gradient rms per layer<"));
	ck_assert_ptr_null(strstr(doc, "<g class=\"chart gradient\">"));
	free(grad);
	free(doc);
}
END_TEST

/*
 * Identity, linear, lambda 1.5, L = 150: activation l is 1.5^l, so its
 * bar is l * log10(1.5) decades high, in a plot of 10^-1 .. 10^27
 * (1.5^150 is 10^26.4, rounded out). Gradient l is 1.5^(150 - l).
 */
START_TEST(test_bar_heights)
{
	EngineConfig cfg = identity(1.5, 150, ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg, NULL, 0);
	char *act = chart(doc, "activation"), *grad = chart(doc, "gradient");
	const double hi = ceil(150 * log10(1.5)), lo = -1;
	const double ppd = PLOT_H / (hi - lo);
	const char *frame = strstr(act, "<rect class=\"frame\"");
	double top, line, h, want;
	int l;

	ck_assert_int_eq((int)hi, 27);
	ck_assert_ptr_nonnull(frame);
	ck_assert_double_eq(attr(frame, "height"), PLOT_H);
	ck_assert_double_eq(attr(frame, "width"), PLOT_W);
	top = attr(frame, "y");
	line = top + hi * ppd;
	for (l = 1; l <= 150; l++) {
		const char *r = nth(act, "<rect class=\"bar up\"", l - 1);

		want = l * log10(1.5) * ppd;
		h = attr(r, "height");
		ck_assert_msg(fabs(h - want) <= 0.006,
		    "layer %d: height %g, "
		    "want %g",
		    l, h, want);
		ck_assert_double_eq_tol(attr(r, "y"), line - want, 0.011);
		/* In its own slot, left to right. */
		ck_assert(attr(r, "x") >= PLOT_X + l * PLOT_W / 151);
		ck_assert(attr(r, "x") + attr(r, "width") <=
		    PLOT_X + (l + 1) * PLOT_W / 151 + 0.01);
		r = nth(grad, "<rect class=\"bar up\"", l - 1);
		want = (150 - (l - 1)) * log10(1.5) * ppd;
		ck_assert_double_eq_tol(attr(r, "height"), want, 0.006);
	}
	free(act);
	free(grad);
	free(doc);
}
END_TEST

/* Above and below 1 differ in class, and the groups that hold them in
 * fill: solid against the hatch pattern, which the document defines. */
START_TEST(test_up_and_down_differ)
{
	XMag act[5], grad[5], wgrad[5];
	char *doc, *a, *up;
	Fake f;
	int rc;

	fake_init(&f, act, grad, wgrad, 4);
	act[1] = xmag_from_double(100);
	act[2] = xmag_from_double(0.01);
	act[3] = xmag_from_double(1e-4);
	act[4] = xmag_from_double(10);
	doc = render(&f.cfg, &f.res, NULL, 0, &rc);
	ck_assert_int_eq(rc, 0);
	a = chart(doc, "activation");
	ck_assert_int_eq(count(a, "<rect class=\"bar up\""), 2);
	ck_assert_int_eq(count(a, "<rect class=\"bar down\""), 2);
	ck_assert_int_eq(count(a, "<rect class=\"bar flat\""), 1);
	ck_assert_ptr_nonnull(strstr(doc, "<pattern id=\"hatch\""));
	ck_assert_ptr_nonnull(strstr(a,
	    "<g class=\"down\" "
	    "fill=\"url(#hatch)\""));
	up = strstr(a, "<g class=\"up\"");
	ck_assert_ptr_nonnull(up);
	up = strndup(up, strcspn(up, ">"));
	ck_assert_ptr_nonnull(strstr(up, " fill=\"#"));
	ck_assert_ptr_null(strstr(up, "url(#hatch)"));
	free(up);
	/* Down bars hang from the line: 2 and 4 decades of 10^-4 .. 10^2. */
	ck_assert_double_eq_tol(attr(strstr(a, "<rect class=\"bar down\""),
	                            "height"),
	    2 * PLOT_H / 6, 0.006);
	ck_assert_double_eq_tol(attr(nth(a, "<rect class=\"bar down\"", 1),
	                            "height"),
	    4 * PLOT_H / 6, 0.006);
	free(a);
	free(doc);
}
END_TEST

/* Past double range both ways: placed by log10, the range rounded out
 * to 10^-332 .. 10^529. */
START_TEST(test_beyond_double_range)
{
	XMag act[3], grad[3], wgrad[3];
	const double ppd = PLOT_H / (529 + 332);
	char *doc, *a;
	Fake f;
	int rc;

	fake_init(&f, act, grad, wgrad, 2);
	act[1] = xmag_pow10(528.25);
	act[2] = xmag_pow10(-331.5);
	doc = render(&f.cfg, &f.res, NULL, 0, &rc);
	ck_assert_int_eq(rc, 0);
	a = chart(doc, "activation");
	ck_assert_double_eq_tol(attr(strstr(a, "<rect class=\"bar up\""),
	                            "height"),
	    528.25 * ppd, 0.006);
	ck_assert_double_eq_tol(attr(strstr(a, "<rect class=\"bar down\""),
	                            "height"),
	    331.5 * ppd, 0.006);
	/* Labels every 50 decades at 0.35 px a decade. */
	ck_assert_ptr_nonnull(strstr(a, ">1e+500</text>"));
	ck_assert_ptr_nonnull(strstr(a, ">1e-300</text>"));
	ck_assert_ptr_null(strstr(a, ">1e+510</text>"));
	ck_assert_ptr_nonnull(strstr(doc, "output ×3.16e-332"));
	free(a);
	free(doc);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Specials                                                               */
/* ---------------------------------------------------------------------- */

/* float32, lambda 1.5, L = 300, upstream ones: activations overflow from
 * layer 219 on, gradients up to layer 81 (a random upstream's largest
 * entry overflows sooner; check_engine derives that layer). Each gets an
 * inf mark, never a bar. */
START_TEST(test_float32_inf_marks)
{
	EngineConfig cfg = identity(1.5, 300, ENGINE_PRECISION_FLOAT32);
	char *doc;

	cfg.upstream = ENGINE_UPSTREAM_ONES;
	doc = render_engine(&cfg, NULL, 0);
	char *act = chart(doc, "activation"), *grad = chart(doc, "gradient");
	const char *m = strstr(act, "<polygon class=\"mark inf\"");
	double cx, w = PLOT_W / 301;

	ck_assert_int_eq(count(act, "class=\"mark inf\""), 300 - 219 + 1);
	ck_assert_int_eq(count(act, "<rect class=\"bar "), 219);
	ck_assert_int_eq(count(grad, "class=\"mark inf\""), 82);
	ck_assert_int_eq(count(grad, "<rect class=\"bar "), 301 - 82);
	/* The first mark is centred on layer 219's slot: its points are
	 * "left,y right,y apex,top". */
	ck_assert_ptr_nonnull(m);
	m = strstr(m, "points=\"") + 8;
	m = strchr(m, ' ') + 1;
	m = strchr(m, ' ') + 1;
	cx = strtod(m, NULL);
	ck_assert_double_eq_tol(cx, PLOT_X + 219.5 * w, 0.006);
	ck_assert_ptr_nonnull(strstr(act, ">▲ inf: layers 219–300<"));
	ck_assert_ptr_nonnull(strstr(grad, ">▲ inf: layers 0–81<"));
	/* The range is that of the finite values: 1.5^218 < 10^39. */
	ck_assert_ptr_nonnull(strstr(act, ">1e+39</text>"));
	free(act);
	free(grad);
	free(doc);
}
END_TEST

START_TEST(test_every_special_mark)
{
	XMag act[7], grad[7], wgrad[7];
	char *doc, *a;
	Fake f;
	int rc;

	fake_init(&f, act, grad, wgrad, 6);
	act[1] = xmag_from_double(INFINITY);
	act[2] = xmag_from_double(0);
	act[3] = xmag_from_double(NAN);
	act[4] = xmag_from_double(0);
	act[5] = xmag_from_double(1e3);
	doc = render(&f.cfg, &f.res, NULL, 0, &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_null(xml_problem(doc));
	a = chart(doc, "activation");
	ck_assert_int_eq(count(a, "class=\"mark inf\""), 1);
	ck_assert_int_eq(count(a, "class=\"mark zero\""), 2);
	ck_assert_int_eq(count(a, "class=\"mark nan\""), 1);
	ck_assert_ptr_nonnull(strstr(a, "class=\"mark nan\""));
	ck_assert_ptr_nonnull(strstr(strstr(a, "class=\"mark nan\""),
	    ">?</text>"));
	/* Bars only for 1 (flat, layers 0 and 6) and 1e3. */
	ck_assert_int_eq(count(a, "<rect class=\"bar "), 3);
	ck_assert_ptr_nonnull(strstr(a,
	    ">▲ inf: layer 1 · ▼ 0: 2 of layers "
	    "2–4 · ? nan: layer 3<"));
	free(a);
	free(doc);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Deep networks                                                          */
/* ---------------------------------------------------------------------- */

/* L = 100000: 2000 bars a chart, said so in the title, and small. */
START_TEST(test_aggregation_deepest)
{
	EngineConfig cfg = identity(1.5, ENGINE_DEPTH_MAX,
	    ENGINE_PRECISION_EXACT);
	char *doc = render_engine(&cfg, NULL, 0);
	char *act = chart(doc, "activation"), *grad = chart(doc, "gradient");

	ck_assert_int_eq(count(act, "<rect class=\"bar "), 2000);
	ck_assert_int_eq(count(grad, "<rect class=\"bar "), 2000);
	ck_assert_ptr_nonnull(strstr(act,
	    "(2000 bars, each the extreme of "
	    "50–51 layers)"));
	ck_assert_msg(strlen(doc) < 400000, "%zu bytes", strlen(doc));
	ck_assert_ptr_null(xml_problem(doc));
	free(act);
	free(grad);
	free(doc);
}
END_TEST

/* Up to 2000 layers each has its bar; one more and bins begin. A bin
 * shows its extreme: the one layer far from 1 among many at 1. */
START_TEST(test_aggregation_boundary)
{
	enum { N = 2001 }; /* layers, at most */
	static XMag act[N], grad[N], wgrad[N];
	char *doc, *a;
	Fake f;
	int rc;

	fake_init(&f, act, grad, wgrad, N - 2);
	doc = render(&f.cfg, &f.res, NULL, 0, &rc);
	ck_assert_int_eq(rc, 0);
	a = chart(doc, "activation");
	ck_assert_int_eq(count(a, "<rect class=\"bar "), 2000);
	ck_assert_ptr_null(strstr(a, "bars, each"));
	free(a);
	free(doc);

	fake_init(&f, act, grad, wgrad, N - 1);
	act[1234] = xmag_from_double(1e-5);
	doc = render(&f.cfg, &f.res, NULL, 0, &rc);
	ck_assert_int_eq(rc, 0);
	a = chart(doc, "activation");
	ck_assert_int_eq(count(a, "<rect class=\"bar "), 2000);
	ck_assert_ptr_nonnull(strstr(a,
	    "(2000 bars, each the extreme of "
	    "1–2 layers)"));
	ck_assert_int_eq(count(a, "<rect class=\"bar down\""), 1);
	ck_assert_double_eq_tol(attr(strstr(a, "<rect class=\"bar down\""),
	                            "height"),
	    5 * PLOT_H / 6, 0.006);
	free(a);
	free(doc);
}
END_TEST

/* A full disk must not pass for a written document. */
START_TEST(test_full_device)
{
	XMag act[2], grad[2], wgrad[2];
	Fake f;
	FILE *out;

	fake_init(&f, act, grad, wgrad, 1);
	out = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(svg_write(out, &f.cfg, &f.res, "t", 0), -1);
	fclose(out);
}
END_TEST

Suite *svg_suite(void)
{
	Suite *s = suite_create("svg");
	TCase *tc = tcase_create("svg");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_document_structure);
	tcase_add_test(tc, test_checker_catches);
	tcase_add_test(tc, test_title_parameters_verdict);
	tcase_add_test(tc, test_verdict_regimes);
	tcase_add_test(tc, test_title_escaped);
	tcase_add_test(tc, test_title_bad_bytes);
	tcase_add_test(tc, test_one_bar_per_layer);
	tcase_add_test(tc, test_bar_heights);
	tcase_add_test(tc, test_up_and_down_differ);
	tcase_add_test(tc, test_beyond_double_range);
	tcase_add_test(tc, test_float32_inf_marks);
	tcase_add_test(tc, test_every_special_mark);
	tcase_add_test(tc, test_aggregation_deepest);
	tcase_add_test(tc, test_aggregation_boundary);
	tcase_add_test(tc, test_full_device);
	suite_add_tcase(s, tc);
	return s;
}
