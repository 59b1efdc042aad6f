# R's reference for posbon gistar (tests/integration/test_gistar_spdep.sh,
# bench/run.sh): Gi* by spdep::localG on the cells posbon analysed, with
# their neighbours within the band found by dnearneigh on the cell centres,
# the cell itself included and binary weights; Moran's I under
# randomisation by spdep::moran.test for each band of the incremental steps.
# Usage: Rscript gistar_spdep.R CELLS.csv BAND [STEPS.txt]
# (CELLS.csv from posbon gistar --format csv; STEPS.txt lines "band_m z").
# Prints "localG CELLS MAX_ABS_DZ MAX_ABS_DP" and "moran BAND Z_R Z_POSBON".
suppressMessages(library(spdep))
args <- commandArgs(TRUE)
d <- read.csv(args[1])
band <- as.numeric(args[2])
xy <- cbind(d$x, d$y)
# The same slack posbon gives a band: a lattice distance equal to the band is in.
slack <- 1 + 1e-9
nb <- include.self(dnearneigh(xy, 0, band * slack))
lw <- nb2listw(nb, style = "B")
g <- localG(d$count, lw, return_internals = TRUE)
z <- as.numeric(g)
p <- attr(g, "internals")[, 5] # Pr(z != E(G*i)): two-sided
cat(sprintf("localG %d %.3e %.3e\n", nrow(d), max(abs(z - d$z)), max(abs(p - d$p))))
if (length(args) > 2) {
	steps <- read.table(args[3])
	for (k in seq_len(nrow(steps))) {
		nbk <- dnearneigh(xy, 0, steps[k, 1] * slack)
		m <- moran.test(d$count, nb2listw(nbk, style = "B", zero.policy = TRUE),
		                randomisation = TRUE, zero.policy = TRUE)
		cat(sprintf("moran %.17g %.17g %.17g\n", steps[k, 1], m$statistic, steps[k, 2]))
	}
}
