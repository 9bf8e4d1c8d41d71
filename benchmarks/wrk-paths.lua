-- wrk script: each request takes the next of the paths given after "--", round robin (one list per wrk thread).
-- Used by wrk.sh for the many-keys run: every symbol's quote, from many connections at once.
local paths = {}
local i = 0

function init(args)
  for _, p in ipairs(args) do
    table.insert(paths, p)
  end
  i = math.random(#paths)
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept"] = "application/json" })
end
