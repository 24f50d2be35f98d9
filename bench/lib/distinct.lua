-- Every request a distinct URL, so neither a cache nor request coalescing can answer it.
--   wrk ... -s bench/lib/distinct.lua http://HOST:PORT -- TEMPLATE [WMIN WMAX [QMIN QMAX]]
-- TEMPLATE is the path and query with {w}, {q} and {v}: {w} and {q} are drawn uniformly from their ranges (a fixed
-- width when WMIN = WMAX), {v} is unique per request across wrk's threads and across runs.
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  template = args[1]
  wmin = tonumber(args[2] or "300")
  wmax = tonumber(args[3] or args[2] or "300")
  qmin = tonumber(args[4] or "80")
  qmax = tonumber(args[5] or args[4] or "80")
  count = 0
  run = tostring(os.time()) .. "-" .. tostring(id)
  math.randomseed(os.time() * 31 + id)
end

function request()
  count = count + 1
  local path = template
  path = path:gsub("{w}", tostring(math.random(wmin, wmax)))
  path = path:gsub("{q}", tostring(math.random(qmin, qmax)))
  path = path:gsub("{v}", run .. "-" .. tostring(count))
  return wrk.format("GET", path)
end
