/*
 * printflow: full-width tables whose rows flow from page to page, for the
 * documents made of tables (the comparison table, the mahalla meeting's
 * pack): a grid's cells wrap between words into their column's width,
 * which is never narrower than the column's widest word, so no word is
 * cut; when the widest words do not fit the page's width the grid's type
 * shrinks until they do. Headings, paragraphs and grids follow each other
 * down the page; a page break repeats the page's header and a grid's
 * column heads.
 *
 * A document is laid out twice: once counting (draw 0), for "page N of
 * M", then drawn.
 *
 * Ownership: a grid owns copies of its cells (printflow_grid_free());
 * heads are borrowed. Threading: as printjob.h.
 */
#ifndef POSBON_PRINTFLOW_H
#define POSBON_PRINTFLOW_H

#include "printjob.h"

#define PRINTFLOW_COLS 11

/* A table: its column heads and alignments, the texts of its rows, the
 * widths and type the page's width allows (printflow_grid_fit()). */
struct printflow_grid {
	int cols;
	const char *head[PRINTFLOW_COLS];
	enum typeset_align align[PRINTFLOW_COLS]; /* TYPESET_LEFT or TYPESET_RIGHT */
	char **text;                              /* rows * cols cells, owned */
	size_t rows, cap;
	int total;   /* the last row is a total: bold, under a rule */
	int natural; /* no wider than its texts on one line need, else the page's width */
	double w[PRINTFLOW_COLS];
	struct typeset_font body, bold, column;
};

/* Appends a row of g->cols cells (NULL: empty), copied. ERR_NOMEM. */
int printflow_grid_add(struct printflow_grid *g, const char *const *cells);

/* Frees g's cells; g may be zeroed or freed already. */
void printflow_grid_free(struct printflow_grid *g);

/* Fits g into width: each column as wide as its widest word (head or
 * cell); what width leaves widens the left-aligned columns (texts) toward
 * their longest texts on one line, by what each lacks, then (unless the
 * grid is natural) the right-aligned ones (numbers) alike, or all when
 * there are none. The type shrinks until the widest words fit. */
void printflow_grid_fit(struct printjob *j, struct printflow_grid *g, double width);

/* Where the flow of pages is. */
struct printflow {
	int draw;      /* else only counting */
	int pdf;       /* else a PNG: the first page is drawn, the rest only counted */
	double y, top; /* on the page, pt */
	double x, w, bottom;
	/* Draws (when draw is set) a page's header and footer, and sets y
	 * under the header. */
	void (*header)(struct printjob *j, struct printflow *fl);
	const void *ctx; /* the header's, borrowed */
};

/* Starts a flow on the page j->page_no across the page's margins: its
 * header drawn. */
void printflow_start(struct printjob *j, struct printflow *fl, int draw, int pdf,
                     void (*header)(struct printjob *, struct printflow *), const void *ctx);

/* Ends the page and starts the next: the page shown, counted, its header
 * drawn. */
void printflow_break(struct printjob *j, struct printflow *fl);

/* A page header: title at the top left, the date of printing at the top
 * right, then each of the n lines across the page, the footer at the
 * bottom; fl->y set under it. Draws only when fl->draw. */
void printflow_header(struct printjob *j, struct printflow *fl, const char *title,
                      const char *const *lines, size_t n);

/* Rows first .. first + n of g (fitted) from the flow's place on, its
 * heads atop each page, under caption (in bold; NULL: none) on the pages
 * the rows continue on. */
void printflow_rows(struct printjob *j, struct printflow *fl, const struct printflow_grid *g,
                    size_t first, size_t n, const char *caption);

/* A paragraph of text in f at the flow's place (whole: on the next page
 * when it does not fit). */
void printflow_text(struct printjob *j, struct printflow *fl, const struct typeset_font *f,
                    const char *text);

/* A block heading in f, on the next page unless a few rows fit under it. */
void printflow_heading(struct printjob *j, struct printflow *fl, const struct typeset_font *f,
                       const char *text);

#endif
