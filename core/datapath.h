/*
 * datapath: where the files posbon reads at run time are (the default style,
 * the viewer, Leaflet, Geoman), and the folders it writes, without a path of
 * the build machine compiled in. A file is looked for, in order:
 *   1. at the option's value (--style, --web), when one is given;
 *   2. in the share folder given (--share-dir), and nowhere else;
 *   3. in PREFIX/share/posbon, PREFIX being the folder above the one that
 *      holds the executable (/proc/self/exe): /usr/bin/posbon reads
 *      /usr/share/posbon, whatever the install prefix or DESTDIR was;
 *   4. in the source tree named by the file `posbon-source-dir` beside the
 *      executable, which CMake writes into each build folder and never
 *      installs: `make run` and the tests of a checkout.
 * In a share folder the installed layout (styles/, web/, vendor/leaflet/,
 * vendor/geoman/) is tried before the source tree's (node_modules/...), so
 * --share-dir takes either.
 *
 * Threading: no state; any thread.
 */
#ifndef POSBON_DATAPATH_H
#define POSBON_DATAPATH_H

#include <stddef.h>
#include <sys/types.h>

enum datapath_file {
	DATAPATH_STYLE,   /* the default style file */
	DATAPATH_WEB,     /* the viewer's folder */
	DATAPATH_LEAFLET, /* Leaflet's dist folder */
	DATAPATH_GEOMAN,  /* Geoman's dist folder */
};

/* Writes the path of what into out (n bytes): given when not NULL, else
 * the first place above where it exists; share_dir NULL for the lookup.
 * ERR_IO naming the places looked in and the option to give otherwise. */
int datapath_find(enum datapath_file what, const char *given, const char *share_dir, char *out,
                  size_t n);

/* Makes the folder path with its missing parents, each with mode (less the
 * umask); an existing folder is kept as it is. ERR_IO naming the folder
 * that could not be made. */
int datapath_make_dirs(const char *path, mode_t mode);

#endif
