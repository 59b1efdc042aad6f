-- wrk script of bench/run.sh: POST /api/offences, one new Feature a request.
--   wrk ... -s bench/wrk_ingest.lua http://127.0.0.1:PORT -- TOKEN W S E N PREFIX
-- Each thread numbers its features (PREFIX-thread-n), so every request is a
-- new offence (an insert, not an idempotent re-post), at a pseudo-random
-- point of the box W,S,E,N. Answers other than 201 count as errors
-- (response() checks). done() prints one "WRK key=value ..." line.
local threads = {}
local categories = { "theft", "robbery", "assault", "fraud", "hooliganism", "drugs" }
local services = { "ppx", "jqb", "youth" }

function setup(thread)
	table.insert(threads, thread)
	thread:set("id", #threads - 1)
end

function init(args)
	token = args[1]
	w, s, e, n = tonumber(args[2]), tonumber(args[3]), tonumber(args[4]), tonumber(args[5])
	prefix = args[6] or "wrk"
	headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
	count, not_201 = 0, 0
	seed = 12345 + id * 7919
end

local function rnd() -- an LCG in [0, 1): the same points in every run
	seed = (seed * 1103515245 + 12345) % 2147483648
	return seed / 2147483648
end

function request()
	count = count + 1
	local body = string.format(
		'{"type":"Feature","properties":{"id":"%s-%d-%d","time":"2026-11-%02dT%02d:%02d:00","category":"%s","service":"%s"},"geometry":{"type":"Point","coordinates":[%.6f,%.6f]}}',
		prefix, id, count, 1 + math.floor(rnd() * 24), math.floor(rnd() * 24),
		math.floor(rnd() * 60), categories[1 + math.floor(rnd() * #categories)],
		services[1 + math.floor(rnd() * #services)], w + (e - w) * rnd(), s + (n - s) * rnd())
	return wrk.format("POST", "/api/offences", headers, body)
end

function response(status, headers, body)
	if status ~= 201 then not_201 = not_201 + 1 end
end

function done(summary, latency, requests)
	local e = summary.errors
	local s = summary.duration / 1e6
	local bad = 0
	for _, t in ipairs(threads) do bad = bad + (t:get("not_201") or 0) end
	io.write(string.format(
		"WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f bytes=%d connect=%d read=%d write=%d status=%d timeout=%d not_201=%d\n",
		summary.requests, s, summary.requests / s, latency:percentile(50) / 1e3,
		latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
		latency.mean / 1e3, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, bad))
end
