/*
 * dump: the headless tables as CSV.
 * See include/dump.h for the formats, which are a contract.
 */
#include "dump.h"

/* xmag_format cannot fail on XMAG_FORMAT_MAX bytes; if it ever did, a row
 * of garbage would be worse than an error, so every caller checks. */
typedef char DumpNum[XMAG_FORMAT_MAX];

int dump_csv(FILE *out, const EngineResult *res, const XMag *theory_act,
    const XMag *theory_grad)
{
	DumpNum act, grad, wgrad, tact, tgrad;
	int l;

	if (fputs("layer,activation_rms,gradient_rms,weight_gradient_rms,"
	          "theory_activation_rms,theory_gradient_rms\n",
	        out) == EOF)
		return -1;
	for (l = 0; l <= res->depth; l++) {
		if (xmag_format(res->activation_rms[l], act, sizeof act) < 0 ||
		    xmag_format(res->gradient_rms[l], grad, sizeof grad) < 0 ||
		    xmag_format(theory_act[l], tact, sizeof tact) < 0 ||
		    xmag_format(theory_grad[l], tgrad, sizeof tgrad) < 0)
			return -1;
		/* Layer 0 is the input: it has no weights, so its cell stays
		 * empty whatever the engine stored there. */
		wgrad[0] = '\0';
		if (l > 0 &&
		    xmag_format(res->weight_gradient_rms[l], wgrad,
		        sizeof wgrad) < 0)
			return -1;
		if (fprintf(out, "%d,%s,%s,%s,%s,%s\n", l, act, grad, wgrad,
		        tact, tgrad) < 0)
			return -1;
	}
	/* A full disk usually shows only when the buffer goes out: flush
	 * here so that 0 means the table really was written. */
	if (fflush(out) == EOF || ferror(out))
		return -1;
	return 0;
}

int dump_sweep_header(FILE *out)
{
	return fputs("lambda,output_activation_rms,input_gradient_rms,"
	             "theory_output_activation_rms,theory_input_gradient_rms\n",
	           out) == EOF ?
	    -1 :
	    0;
}

int dump_sweep_row(FILE *out, const SweepPoint *p)
{
	DumpNum o, g, to, tg;

	if (xmag_format(p->output_rms, o, sizeof o) < 0 ||
	    xmag_format(p->input_gradient, g, sizeof g) < 0 ||
	    xmag_format(p->theory_output, to, sizeof to) < 0 ||
	    xmag_format(p->theory_gradient, tg, sizeof tg) < 0)
		return -1;
	/* Row by row to the reader: a long sweep shows its progress. */
	if (fprintf(out, "%.10g,%s,%s,%s,%s\n", p->lambda, o, g, to, tg) < 0 ||
	    fflush(out) == EOF)
		return -1;
	return 0;
}

int dump_train_header(FILE *out)
{
	return fputs("step,loss\n", out) == EOF ? -1 : 0;
}

int dump_train_row(FILE *out, int step, double loss)
{
	DumpNum l;

	if (xmag_format(xmag_from_double(loss), l, sizeof l) < 0)
		return -1;
	if (fprintf(out, "%d,%s\n", step, l) < 0)
		return -1;
	return 0;
}

int dump_spectrum_header(FILE *out)
{
	return fputs("index,singular_value\n", out) == EOF ? -1 : 0;
}

int dump_spectrum_row(FILE *out, int index, XMag sigma)
{
	DumpNum v;

	if (xmag_format(sigma, v, sizeof v) < 0 ||
	    fprintf(out, "%d,%s\n", index, v) < 0)
		return -1;
	return 0;
}
