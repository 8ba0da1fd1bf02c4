-- wrk script for every row of the bench.
--   wrk ... -s bench.lua <url> -- <requests-file|-> <delay-ms> <static-method> <static-path> <static-body>
-- With a requests file, each line is "METHOD<TAB>PATH<TAB>AUTHORIZATION<TAB>BODY" and every request is
-- sent once, in order; running past the end wraps around (the server then refuses the replays, which
-- the harness reports as non-2xx). With "-" the one static request is sent over and over.
-- A delay above 0 paces each connection (wrk waits that long before each request) for the
-- fixed-rate row.

local prepared = {}
local count = 0
local index = 0
local wrapped = 0
local pause = 0
local static = nil

function init(args)
  local file = args[1] or "-"
  pause = tonumber(args[2] or "0") or 0
  if file == "-" then
    local headers = { ["Content-Type"] = "application/json" }
    local body = args[5]
    if body == "" then body = nil end
    static = wrk.format(args[3] or "GET", args[4] or "/", headers, body)
    return
  end
  for line in io.lines(file) do
    local method, path, auth, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = { ["Authorization"] = auth }
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      count = count + 1
      prepared[count] = wrk.format(method, path, headers, body)
    end
  end
end

function delay()
  return pause
end

function request()
  if static then return static end
  index = index + 1
  if index > count then
    index = 1
    wrapped = wrapped + 1
  end
  return prepared[index]
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local sent, wraps = 0, 0
  for _, thread in ipairs(threads) do
    sent = sent + (thread:get("index") or 0)
    wraps = wraps + (thread:get("wrapped") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"non2xx":%d,"connectErrors":%d,"readErrors":%d,' ..
    '"writeErrors":%d,"timeouts":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,"wrapped":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean, wraps))
end
