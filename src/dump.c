/*
 * dump: the headless per-layer table as CSV.
 * See include/dump.h for the format, which is a contract.
 */
#include "dump.h"

#include "xmag.h"

int dump_csv(FILE *out, const EngineResult *res)
{
	char act[XMAG_FORMAT_MAX], grad[XMAG_FORMAT_MAX];
	char wgrad[XMAG_FORMAT_MAX];
	int l;

	if (fputs("layer,activation_rms,gradient_rms,weight_gradient_rms\n",
	    out) == EOF)
		return -1;
	for (l = 0; l <= res->depth; l++) {
		/* xmag_format cannot fail on XMAG_FORMAT_MAX bytes; if it
		 * ever did, a row of garbage would be worse than an error. */
		if (xmag_format(res->activation_rms[l], act, sizeof act) < 0 ||
		    xmag_format(res->gradient_rms[l], grad, sizeof grad) < 0)
			return -1;
		/* Layer 0 is the input: it has no weights, so its cell stays
		 * empty whatever the engine stored there. */
		wgrad[0] = '\0';
		if (l > 0 && xmag_format(res->weight_gradient_rms[l], wgrad,
		    sizeof wgrad) < 0)
			return -1;
		if (fprintf(out, "%d,%s,%s,%s\n", l, act, grad, wgrad) < 0)
			return -1;
	}
	/* A full disk usually shows only when the buffer goes out: flush
	 * here so that 0 means the table really was written. */
	if (fflush(out) == EOF || ferror(out))
		return -1;
	return 0;
}
