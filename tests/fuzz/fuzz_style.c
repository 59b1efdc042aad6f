/*
 * Styles as an operator edits them: JSON text through style_parse(), the
 * same path as style_load() of a file, then the colour ramps it defines.
 */
#include "style.h"
#include "stylecolour.h"
#include "styleramp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	style *s = NULL;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (style_parse(text, "fuzz", &s) == 0) {
		struct style_colour c;
		style_background(s, &c);
		style_category_colour(s, "theft", &c);
		style_service_colour(s, "ppx", &c);
		/* The ramps a tile would colour its density with. */
		const struct style_heatmap *layers[] = {style_heatmap(s), style_change(s)};
		for (int i = 0; i < 2; i++) {
			style_ramp *ramp = NULL;
			if (layers[i] && style_heatmap_ramp(layers[i], 3.5, 56, &ramp) == 0) {
				for (double v = -10; v <= 10; v += 0.5)
					style_ramp_colour(ramp, v, &c);
				style_ramp_free(ramp);
			}
		}
		style_free(s);
	}
	struct style_colour c;
	style_colour_parse(text, &c);
	free(text);
	return 0;
}
