-- wrk script: every request is a new visitor. The server is told it sits behind
-- one proxy, so each request's X-Forwarded-For carries a client address of its
-- own (IPv6, so that millions of requests never repeat one); user agents rotate
-- among common browsers, as real visitors' do. Paths go round the file named by
-- the first script argument; the second argument (a number) gives this run its
-- own addresses, so no two runs share a visitor. A third argument "same" makes
-- every request come from one visitor instead.
local threads = {}
local browsers = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 NAVER(inapp; search; 2000; 12.8.5)",
}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  run = tonumber(args[2])
  same = args[3] == "same"
  counter = 0
  -- wrk runs two threads (bench/common.py): the second starts halfway round,
  -- so two threads never ask for the same path just after one another.
  offset = (id - 1) * math.floor(#paths / 2)
end

function request()
  counter = counter + 1
  local address, browser
  if same then
    address = string.format("2001:db8:%x::1", run)
    browser = browsers[1]
  else
    -- 2001:db8:<run>:<thread>::<counter>
    address = string.format("2001:db8:%x:%x::%x:%x", run, id,
                            math.floor(counter / 65536), counter % 65536)
    browser = browsers[(counter % #browsers) + 1]
  end
  local headers = { ["User-Agent"] = browser, ["X-Forwarded-For"] = address }
  return wrk.format("GET", paths[((counter + offset) % #paths) + 1], headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p95_us=%d p99_us=%d\n",
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
