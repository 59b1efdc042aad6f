#include "csv.h"

#include <string.h>

void csv_field(FILE *f, const char *text, const char *end)
{
	if (text && !strpbrk(text, ",\"\r\n")) {
		fputs(text, f);
	} else if (text) {
		fputc('"', f);
		for (; *text; text++) {
			if (*text == '"')
				fputc('"', f);
			fputc(*text, f);
		}
		fputc('"', f);
	}
	if (end)
		fputs(end, f);
}
