-- wrk script for bench/http.sh: every request carries the cookie of one of the pre-created
-- visitors, picked at random, and the run ends with one machine-readable RESULT line.
--   wrk ... -s bench/visitors.lua URL -- COOKIE_FILE METHOD
local cookies = {}
local method = "GET"
local body = nil
local next_thread_id = 1

function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then cookies[#cookies + 1] = line end
  end
  if #cookies == 0 then error("no cookies in " .. args[1]) end
  method = args[2] or "GET"
  if method == "POST" then body = "" end
  -- Each thread its own sequence, so that threads do not hit the same visitors in step.
  math.randomseed(os.time() * 1000 + (thread_id or 0) * 7919)
end

function request()
  return wrk.format(method, nil, { ["Cookie"] = cookies[math.random(#cookies)] }, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
