-- wrk script: sends DEPTH requests back to back on each connection before reading
-- (HTTP/1.1 pipelining, as TechEmpower's plaintext test does):
--   wrk -t1 -c256 -d15s --latency -s pipeline.lua http://127.0.0.1:P/ -- 16
-- wrk counts each response as a request; latency is per response batch.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local requests = {}
  for i = 1, depth do
    requests[i] = wrk.format()
  end
  pipelined = table.concat(requests)
end

request = function()
  return pipelined
end
