#include "filteropts.h"

#include <stdio.h>

int filteropts_text(const struct filter_opts *fo, char *out, size_t n)
{
	const struct {
		const char *name, *value;
	} parts[] = {
	    {"from", fo->text.from},
	    {"to", fo->text.to},
	    {"hours", fo->text.hours},
	    {"weekdays", fo->text.weekdays},
	    {"categories", fo->text.categories},
	    {"services", fo->text.services},
	    {"district", fo->text.district},
	    {"region", fo->text.region},
	};
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i].value && *parts[i].value && used < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s=%s", used ? " " : "",
			                         parts[i].name, parts[i].value);
	if (!used)
		snprintf(out, n, "every offence");
	return used < n ? 0 : -1;
}
