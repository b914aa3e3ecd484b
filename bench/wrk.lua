-- wrk script for the small-object benchmark (bench/bench.py drives it).
--
-- Environment:
--   BENCH_MODE    put | get
--   BENCH_PREFIX  path prefix of the keys, e.g. /bench/put-r1
--   BENCH_BODY    file whose bytes are the PUT body (put mode)
--   BENCH_KEYS    number of pre-populated keys <prefix>-0000 ... to cycle through (get mode)
--   BENCH_SIGNED  optional (get mode): file of signed requests, one per key, each line
--                 "<path>\t<Authorization>\t<X-Amz-Date>\t<X-Amz-Content-SHA256>"; the keys
--                 cycled through are then these paths, sent with these headers
--   BENCH_HEADERS optional: extra headers sent with every request (put and unsigned get), as
--                 tab-separated "Name: value" items (the moto phase's direct side uses it)
--
-- put: every request writes a new key <prefix>-<thread>-<n> with the same body.
-- get: every request reads one of the pre-populated keys, round robin.
-- done() prints one machine-readable "BENCH ..." line with counts, latency percentiles and
-- every error class wrk knows (status = responses with status >= 400).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = os.getenv("BENCH_MODE") or "get"
  prefix = os.getenv("BENCH_PREFIX") or "/bench/key"
  counter = 0
  for item in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\t]+") do
    local name, value = item:match("^([^:]+):%s*(.*)$")
    assert(name, "bad BENCH_HEADERS item " .. item)
    wrk.headers[name] = value
  end
  if mode == "put" then
    local f = assert(io.open(os.getenv("BENCH_BODY"), "rb"))
    wrk.body = f:read("*a")
    f:close()
  else
    nkeys = tonumber(os.getenv("BENCH_KEYS") or "1")
    counter = id * 7919 -- threads start at different keys
    local signed_file = os.getenv("BENCH_SIGNED")
    if signed_file and signed_file ~= "" then
      signed = {}
      for line in io.lines(signed_file) do
        local path, auth, date, sha = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
        assert(path, "bad line in " .. signed_file)
        table.insert(signed, {path = path, headers = {
          ["Authorization"] = auth, ["X-Amz-Date"] = date, ["X-Amz-Content-SHA256"] = sha}})
      end
      nkeys = #signed
    end
  end
end

function request()
  counter = counter + 1
  if mode == "put" then
    return wrk.format("PUT", prefix .. "-" .. id .. "-" .. counter, nil, wrk.body)
  end
  if signed then
    local r = signed[counter % nkeys + 1]
    return wrk.format("GET", r.path, r.headers, nil)
  end
  return wrk.format("GET", string.format("%s-%04d", prefix, counter % nkeys), nil, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d mean_us=%.1f max_us=%d "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), latency.mean, latency.max, e.connect, e.read, e.write, e.status,
    e.timeout))
end
