#include "backtestopts.h"

void backtestopts_defaults(struct backtestopts *o)
{
	*o = (struct backtestopts){.train = (long)param_backtest_train.def,
	                           .test = (long)param_backtest_test.def,
	                           .step = (long)param_backtest_step.def,
	                           .folds = (long)param_backtest_folds.def};
}

int backtestopts_run(const struct backtestopts *o, renderer *r, const char *date,
                     struct backtest *out)
{
	/* The core checks the counts and names them, as for the API. */
	struct backtest_params p = {.train_weeks = (int)o->train,
	                            .test_weeks = (int)o->test,
	                            .step_weeks = (int)o->step,
	                            .folds = (int)o->folds,
	                            .cell = o->cell,
	                            .share = o->share,
	                            .date = date};
	renderer_kernel(r, &p.kernel, &p.bandwidth);
	struct shift shift;
	struct held_shapes *held;
	int rc = backtest_params_text(renderer_dataset(r), &o->text, &p, &shift);
	if (rc < 0)
		return rc;
	rc = backtest_run(renderer_dataset(r), renderer_shapes_acquire(r, &held), &p, out);
	renderer_shapes_release(r, held);
	return rc;
}
