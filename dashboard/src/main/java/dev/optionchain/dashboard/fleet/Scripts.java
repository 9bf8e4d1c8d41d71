package dev.optionchain.dashboard.fleet;

/**
 * The Lua scripts the fleet runs in Redis: each is one atomic step and one round trip. Time inside a script is
 * Redis's own ({@code TIME}), so the instances' wall clocks never need to agree. Keys are passed as {@code KEYS}.
 *
 * <p>Whoever can write to Redis can write the fleet's keys, so a script never trusts what it finds: a key of another
 * type than the fleet writes is deleted before use ({@code typed}), rather than failing the script with
 * {@code WRONGTYPE} on every call from then on.
 */
final class Scripts {

  private Scripts() {}

  /** {@code typed(key, type)}: deletes the key if it holds another type than the fleet writes there. */
  private static final String TYPED = "local function typed(k, t)\n"
      + "  local ty = redis.call('TYPE', k).ok\n"
      + "  if ty ~= t and ty ~= 'none' then redis.call('DEL', k) end\n"
      + "end\n";

  /** Redis's clock in milliseconds, at the top of scripts that need it; and {@code live}, which needs it. */
  private static final String NOW = "local t = redis.call('TIME')\n"
      + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
      + "local function live(holder, key, ms, instances, seenMs)\n" // a lease or lock an instance can hold
      + "  local left = redis.call('PTTL', key)\n"
      + "  if left < 0 or left > tonumber(ms) then return false end\n"
      + "  local seen = redis.call('TYPE', instances).ok == 'zset' and redis.call('ZSCORE', instances, holder)\n"
      + "  return seen and tonumber(seen) >= now - tonumber(seenMs)\n"
      + "end\n";

  /**
   * The upstream budget: a sliding log of the fleet's calls in the last window (a sorted set scored by Redis time),
   * plus a pause the upstream asked for. What no instance can have written is dropped: a pause longer than the
   * longest one (ARGV[4] ms), calls logged more than a second in the future. KEYS: log, pause. ARGV: limit, window
   * ms, member (unique to the call), longest pause ms. Returns {@code {1, 0, count}} when the call may go ahead (and
   * was logged), {@code {0, wait ms, count}} otherwise.
   */
  static final String BUDGET = NOW + TYPED
      + "typed(KEYS[1], 'zset') typed(KEYS[2], 'string')\n"
      + "local paused = redis.call('PTTL', KEYS[2])\n"
      + "if paused > tonumber(ARGV[4]) then redis.call('DEL', KEYS[2]) paused = -2 end\n"
      + "local window = tonumber(ARGV[2])\n"
      + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)\n"
      + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. (now + 1000), '+inf')\n"
      + "local n = redis.call('ZCARD', KEYS[1])\n"
      + "if paused > 0 then return {0, paused, n} end\n"
      + "local limit = tonumber(ARGV[1])\n"
      + "if n >= limit then\n"
      + "  local oldest = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')\n"
      + "  return {0, math.max(1, tonumber(oldest[2]) + window - now), n}\n"
      + "end\n"
      + "redis.call('ZADD', KEYS[1], now, ARGV[3])\n"
      + "redis.call('PEXPIRE', KEYS[1], window + 1000)\n"
      + "return {1, 0, n + 1}\n";

  /** Pauses the budget for ARGV[1] ms unless a longer pause is set. KEYS: pause. */
  static final String PAUSE = TYPED + "typed(KEYS[1], 'string')\n"
      + "local left = redis.call('PTTL', KEYS[1])\n"
      + "if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end\n"
      + "return {1}\n";

  /**
   * A memory miss: the fresh answer if another instance put one; else the fetch lock (this instance fetches); else
   * how long the holder may still fetch. A value larger than an instance shares (ARGV[3] bytes) is not one: it is
   * neither sent nor read. A lock no live instance can hold (no time to live or more left than a lock lasts, or a
   * holder without a heartbeat for ARGV[4] ms) is taken, not waited for. KEYS: fresh, lock, instances. ARGV:
   * instance, lock ms, largest answer, seen ms. Returns {@code {1, answer}}, {@code {2, ''}} (locked by us) or
   * {@code {3, lock pttl}}.
   */
  static final String FRESH = NOW + TYPED + "typed(KEYS[1], 'string') typed(KEYS[2], 'string')\n"
      + "if redis.call('STRLEN', KEYS[1]) <= tonumber(ARGV[3]) then\n"
      + "  local v = redis.call('GET', KEYS[1])\n"
      + "  if v then return {1, v} end\n"
      + "end\n"
      + "local holder = redis.call('GET', KEYS[2])\n"
      + "if holder and holder ~= ARGV[1] and not live(holder, KEYS[2], ARGV[2], KEYS[3], ARGV[4]) then\n"
      + "  holder = false\n"
      + "end\n"
      + "if (not holder) or holder == ARGV[1] then\n"
      + "  redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])\n"
      + "  return {2, ''}\n"
      + "end\n"
      + "return {3, tostring(redis.call('PTTL', KEYS[2]))}\n";

  /**
   * A stored answer, unless larger than an instance shares (ARGV[1] bytes): then nothing, and nothing sent. KEYS: the
   * answer's key. Returns {@code {answer}} or {@code {}}.
   */
  static final String ANSWER = TYPED + "typed(KEYS[1], 'string')\n"
      + "if redis.call('STRLEN', KEYS[1]) > tonumber(ARGV[1]) then return {} end\n"
      + "local v = redis.call('GET', KEYS[1])\n"
      + "if v then return {v} end\n"
      + "return {}\n";

  /**
   * After a fetch: the answer as fresh (ARGV[2] ms, 0 = not) and as the last good one (ARGV[3] ms, 0 = not), the
   * lock released if ours, the notice published. KEYS: fresh, last good, lock. ARGV: answer, fresh ms, last good ms,
   * instance, channel, notice.
   */
  static final String FETCHED = TYPED
      + "typed(KEYS[1], 'string') typed(KEYS[2], 'string') typed(KEYS[3], 'string')\n"
      + "if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end\n"
      + "if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3]) end\n"
      + "if redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end\n"
      + "redis.call('PUBLISH', ARGV[5], ARGV[6])\n"
      + "return {1}\n";

  /** Redis's clock in microseconds, at the top of scripts that need it: a decision's {@code seq}. */
  private static final String NOW_MICROS = "local tm = redis.call('TIME')\n"
      + "local micros = tonumber(tm[1]) * 1000000 + tonumber(tm[2])\n";

  /**
   * A breaker's decision, accepted only if made on the fleet's latest: the last decision is kept
   * ({@code ocd:decided:<name>}, with its {@code seq}); a decision whose maker knew of an older one (ARGV[4], the
   * largest {@code seq} it had seen) is refused, unless the last one was its own (it decides on its own state), or it
   * knew of none (0: it has not reached Redis since it started) and made it after the last one (ARGV[7] ms ago). A
   * decision accepted gets the next {@code seq} (Redis's time in microseconds, or one more than the last: it never
   * goes back), is published, and becomes the last decision and, to OPEN, the state key for ARGV[2] ms (0 = deleted,
   * -1 = left as it is). A last decision that cannot be read, or with a {@code seq} more than a day ahead of Redis's
   * clock, is garbage and counts as none. Published before it is stored, so that a full Redis (which refuses the
   * writes with {@code OOM}) still passes it on. KEYS: state, last decision. ARGV: message (JSON without seq), ms,
   * channel, known seq, instance, how long the last decision is kept (ms), how long ago the decision was made (ms).
   * Returns {@code {1, seq}} when accepted,
   * {@code {0, last decision, state key's pttl}} when refused.
   */
  static final String DECIDED = NOW_MICROS + TYPED
      + "typed(KEYS[1], 'string') typed(KEYS[2], 'string')\n"
      + "local last = redis.call('GET', KEYS[2])\n"
      + "local cur, author = 0, ''\n"
      + "if last then\n"
      + "  local ok, m = pcall(cjson.decode, last)\n"
      + "  if ok and type(m) == 'table' and tonumber(m['seq']) and tonumber(m['seq']) <= micros + 86400000000 then\n"
      + "    cur, author = tonumber(m['seq']), tostring(m['instance'])\n"
      + "  else last = false end\n"
      + "end\n"
      + "local based = tonumber(ARGV[4])\n"
      + "local fresher = based == 0 and micros - tonumber(ARGV[7]) * 1000 > cur\n"
      + "if last and based < cur and author ~= ARGV[5] and not fresher then\n"
      + "  return {0, last, redis.call('PTTL', KEYS[1])}\n"
      + "end\n"
      + "local seq = math.max(cur + 1, micros)\n"
      + "local msg = string.sub(ARGV[1], 1, -2) .. ',\"seq\":' .. string.format('%.0f', seq) .. '}'\n"
      + "redis.call('PUBLISH', ARGV[3], msg)\n"
      + "local ms = tonumber(ARGV[2])\n"
      + "if ms > 0 then redis.pcall('SET', KEYS[1], msg, 'PX', ms)\n"
      + "elseif ms == 0 then redis.call('DEL', KEYS[1]) end\n"
      + "redis.pcall('SET', KEYS[2], msg, 'PX', ARGV[6])\n"
      + "return {1, seq}\n";

  /**
   * One more failure in a row of a breaker, counted across the fleet, for ARGV[1] ms. KEYS: the count. Returns
   * {@code {count}}.
   */
  static final String FAILED = TYPED + "typed(KEYS[1], 'string')\n"
      + "local n = redis.pcall('INCR', KEYS[1])\n"
      + "if type(n) == 'table' then\n" // not a number (or one about to overflow): start again, unless Redis is full
      + "  if string.find(n.err, 'OOM') then return n end\n"
      + "  redis.call('DEL', KEYS[1])\n"
      + "  n = redis.call('INCR', KEYS[1])\n"
      + "end\n"
      + "redis.call('PEXPIRE', KEYS[1], ARGV[1])\n"
      + "return {n}\n";

  /**
   * Every breaker's state key, its time to live, and its last decision. KEYS: state key, last decision, for each
   * breaker. Returns {@code {state or '', pttl, last decision or ''}...}.
   */
  static final String STATES = TYPED + "local out = {}\n"
      + "for i = 1, #KEYS, 2 do\n"
      + "  typed(KEYS[i], 'string') typed(KEYS[i + 1], 'string')\n"
      + "  out[#out + 1] = redis.call('GET', KEYS[i]) or ''\n"
      + "  out[#out + 1] = redis.call('PTTL', KEYS[i])\n"
      + "  out[#out + 1] = redis.call('GET', KEYS[i + 1]) or ''\n"
      + "end\n"
      + "return out\n";

  /**
   * The trial lease: taken if free, already ours, or not a lease any live instance holds: one without a time to live
   * or with more left than a lease lasts (no instance writes those), or one whose holder has not been seen for
   * ARGV[3] ms (its holder's id is not among the instances' heartbeats). KEYS: lease, instances. ARGV: instance, ms,
   * seen ms. Returns 1 when this instance holds it (as a list of one).
   */
  static final String LEASE = NOW + TYPED + "typed(KEYS[1], 'string')\n"
      + "local cur = redis.call('GET', KEYS[1])\n"
      + "local ms = tonumber(ARGV[2])\n"
      + "if (not cur) or cur == ARGV[1] or not live(cur, KEYS[1], ms, KEYS[2], ARGV[3]) then\n"
      + "  redis.call('SET', KEYS[1], ARGV[1], 'PX', ms) return {1}\n"
      + "end\n"
      + "return {0}\n";

  /** Gives a lease back: deleted if it is still ARGV[1]'s. KEYS: lease. */
  static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end\n"
      + "return {1}\n";

  /**
   * Alert once per fleet transition: the alert key taken for ARGV[2] ms if free, or if it is not one an instance
   * wrote (no time to live, or more left than an alert key lasts: taken, else it would silence that alert for good).
   * KEYS: alert key. ARGV: instance, ms. Returns 1 when this instance sends the alert (as a list of one).
   */
  static final String ALERT = TYPED + "typed(KEYS[1], 'string')\n"
      + "local left = redis.call('PTTL', KEYS[1])\n"
      + "if left == -2 or left == -1 or left > tonumber(ARGV[2]) then\n"
      + "  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return {1}\n"
      + "end\n"
      + "return {0}\n";

  /**
   * The heartbeat: this instance seen now; the instances seen in the last ARGV[2] ms; the budget's calls in the last
   * ARGV[3] ms; each breaker's trial-lease holder. KEYS: instances, budget log, lease keys... ARGV: instance, seen ms,
   * budget window ms. Returns {@code {instances, budget count, holders}}.
   */
  static final String HEARTBEAT = NOW + TYPED
      + "typed(KEYS[1], 'zset') typed(KEYS[2], 'zset')\n"
      + "for i = 3, #KEYS do typed(KEYS[i], 'string') end\n"
      + "redis.call('ZADD', KEYS[1], now, ARGV[1])\n"
      + "redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))\n"
      + "redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)\n"
      + "local holders = {}\n"
      + "for i = 3, #KEYS do holders[#holders + 1] = redis.call('GET', KEYS[i]) or '' end\n"
      + "return {redis.call('ZRANGE', KEYS[1], 0, -1), redis.call('ZCOUNT', KEYS[2], now - tonumber(ARGV[3]), '+inf'),"
      + " holders}\n";
}
