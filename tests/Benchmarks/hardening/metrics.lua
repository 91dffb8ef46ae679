-- wrk: each request reads the metrics of a random seeded run (ids 2..1001), thinned to 1,000 points.
math.randomseed(1)
request = function()
  return wrk.format("GET", "/api/runs/" .. math.random(2, 1001) .. "/metrics?maxPoints=1000")
end
