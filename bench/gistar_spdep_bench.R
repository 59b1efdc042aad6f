# R's time for Gi* on bench_gistar's grid (bench/run.sh, section gistar):
# spdep::localG with the cell itself and the 8 touching cells (binary
# weights), the neighbours of a band of sqrt(2) cells as spdep's
# cell2nb(type = "queen") has them, but built by index arithmetic (cell2nb
# itself takes minutes on millions of cells). Reads the counts and posbon's
# z-scores that bench_gistar --write stored, times nb2listw and localG, and
# prints "R SIZE LISTW_S LOCALG_S MAX_ABS_DZ".
# Usage: Rscript gistar_spdep_bench.R FILE SIZE
suppressMessages(library(spdep))
args <- commandArgs(TRUE)
size <- as.integer(args[2])
n <- size * size
con <- file(args[1], "rb")
x <- readBin(con, "double", n)
ours <- readBin(con, "double", n)
close(con)
# Cell k (1-based, row-major as bench_gistar writes it) at row r, column c.
k <- seq_len(n)
r <- (k - 1L) %/% size
c <- (k - 1L) %% size
from <- integer(0)
to <- integer(0)
for (dr in -1:1) for (dc in -1:1) {
	ok <- r + dr >= 0L & r + dr < size & c + dc >= 0L & c + dc < size
	from <- c(from, k[ok])
	to <- c(to, k[ok] + dr * size + dc)
}
o <- order(from, to)
nb <- split(to[o], factor(from[o], levels = k))
names(nb) <- NULL
attr(nb, "class") <- "nb"
attr(nb, "region.id") <- as.character(k)
attr(nb, "self.included") <- TRUE
t0 <- proc.time()[["elapsed"]]
lw <- nb2listw(nb, style = "B")
t1 <- proc.time()[["elapsed"]]
g <- as.numeric(localG(x, lw))
t2 <- proc.time()[["elapsed"]]
cat(sprintf("R %d %.2f %.2f %.3e\n", size, t1 - t0, t2 - t1, max(abs(g - ours))))
