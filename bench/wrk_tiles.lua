-- wrk script of bench/run.sh: GET the paths of a list file with a bearer token.
--   wrk -t T ... -s bench/wrk_tiles.lua http://127.0.0.1:PORT -- LIST TOKEN [cycle|split T]
-- cycle: every thread goes round the whole list (each from its own start);
-- split: thread i of n asks paths i, i + n, i + 2n, ... once each, so that
--        no path is asked twice in the run; past the end of its share a
--        thread asks /healthz (counted as past_list). T must be wrk's -t:
--        wrk starts a thread as soon as it is set up, before it knows of the
--        next one.
-- done() prints one line "WRK key=value ..." for run.sh.
local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("id", #threads - 1)
end

function init(args)
	local token, mode = args[2], args[3] or "cycle"
	local n_threads = tonumber(args[4] or "1")
	local headers = { ["Authorization"] = "Bearer " .. token }
	local all = {}
	for line in io.lines(args[1]) do
		if line ~= "" then all[#all + 1] = line end
	end
	reqs = {}
	if mode == "split" then
		for k = id + 1, #all, n_threads do reqs[#reqs + 1] = wrk.format("GET", all[k], headers) end
	else
		for k = 1, #all do
			reqs[k] = wrk.format("GET", all[((k - 1 + id * 7) % #all) + 1], headers)
		end
	end
	cycle = mode ~= "split"
	health = wrk.format("GET", "/healthz")
	i, past_list = 0, 0
end

function request()
	i = i + 1
	if i > #reqs then
		if cycle then
			i = 1
		else
			past_list = past_list + 1
			return health
		end
	end
	return reqs[i]
end

function done(summary, latency, requests)
	local e = summary.errors
	local s = summary.duration / 1e6
	local over = 0
	for _, t in ipairs(threads) do over = over + (t:get("past_list") or 0) end
	io.write(string.format(
		"WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f bytes=%d connect=%d read=%d write=%d status=%d timeout=%d past_list=%d\n",
		summary.requests, s, summary.requests / s, latency:percentile(50) / 1e3,
		latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
		latency.mean / 1e3, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, over))
end
