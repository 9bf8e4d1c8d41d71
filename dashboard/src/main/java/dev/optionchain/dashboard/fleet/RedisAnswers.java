package dev.optionchain.dashboard.fleet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.optionchain.breaker.BreakerClock;
import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.config.BreakerSettings;
import dev.optionchain.dashboard.config.FleetSettings;
import dev.optionchain.dashboard.config.FreshFor;
import dev.optionchain.dashboard.market.SharedAnswers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind's answers shared through Redis.
 *
 * <p>Keys: {@code ocd:fresh:<kind>:<key>} (the answer, for what is left of its fresh-for),
 * {@code ocd:good:<kind>:<key>} (the last good answer, {@code fleet.last-good-for}), {@code ocd:lock:<kind>:<key>}
 * (the instance fetching it now, for the request timeout plus a second). Algorithm, on a memory miss ({@link #fresh}): one script returns the fresh
 * answer, or takes the lock (this instance calls the upstream), or says who holds it; then this instance waits for the
 * holder's notice on the channel (at most the lock's remaining time) and reads the answer, or calls the upstream
 * itself if none came. After the call, one script stores the answer, releases the lock and publishes the notice
 * ({@link #fetched}). The notices also tell every instance how new the fleet's last good answer of each key is, so a
 * fallback reads Redis only when Redis holds a newer answer than memory ({@link #lastGood}). Answers over
 * {@code fleet.max-answer-bytes} compressed are not shared. Thread-safe.
 *
 * @param <K> the key
 * @param <V> the answer
 */
final class RedisAnswers<K, V> implements SharedAnswers<K, V> {

  private final String kind;
  private final FreshFor freshFor;
  private final long lockMillis;
  private final long lastGoodMillis;
  private final int maxBytes;
  private final String me;
  private final RedisLink link;
  private final BreakerClock clock;
  private final AnswerCodec<V> codec;
  private final FleetCounters counters;
  private final BiPredicate<K, V> belongs;
  /** Keys whose lock this instance holds: released by {@link #fetched} or {@link #failed}. */
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  /** Keys this instance waits for another instance to fetch. */
  private final Map<String, CompletableFuture<Boolean>> waiting = new ConcurrentHashMap<>();
  /** How far ahead of this instance's clock an answer's {@code asOf} may be. */
  static final Duration AHEAD = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(RedisAnswers.class);
  private final AtomicBoolean warned = new AtomicBoolean();
  /** The newest answer of each key the fleet announced: a fallback reads Redis only when it is newer. */
  private final Cache<String, Instant> announced;

  RedisAnswers(BreakerSettings kind, Class<V> type, BiPredicate<K, V> belongs, FleetSettings settings, RedisLink link,
      BreakerClock clock, FleetCounters counters) {
    this.kind = kind.name();
    this.belongs = belongs;
    this.freshFor = kind.freshFor();
    this.lockMillis = kind.requestTimeout().toMillis() + 1_000;
    this.lastGoodMillis = settings.lastGoodFor().toMillis();
    this.maxBytes = settings.maxAnswerBytes();
    this.me = settings.instanceId();
    this.link = link;
    this.clock = clock;
    this.codec = new AnswerCodec<>(kind.name(), type, settings.maxAnswerBytes());
    this.counters = counters;
    this.announced = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(settings.lastGoodFor())
        .executor(Runnable::run).build();
  }

  private String freshKey(String key) {
    return "ocd:fresh:" + kind + ":" + key;
  }

  private String goodKey(String key) {
    return "ocd:good:" + kind + ":" + key;
  }

  private String lockKey(String key) {
    return "ocd:lock:" + kind + ":" + key;
  }

  @Override
  public Optional<Cached<V>> fresh(K key) {
    if (!freshFor.enabled() || !link.active()) {
      return Optional.empty();
    }
    String k = key.toString();
    CompletableFuture<Boolean> notice = waiting.computeIfAbsent(k, x -> new CompletableFuture<>());
    try {
      Optional<List<Object>> r = link.awaitScript(Scripts.FRESH, new String[] {freshKey(k), lockKey(k),
          Fleet.INSTANCES}, me, lockMillis, maxBytes, Fleet.SEEN.toMillis());
      if (r.isEmpty()) {
        return Optional.empty(); // Redis did not answer in time: this instance calls the upstream alone
      }
      long code = (Long) r.get().get(0);
      if (code == 1) {
        return shared(plausible(key, codec.decode((byte[]) r.get().get(1))));
      }
      if (code == 2) {
        held.add(k);
        return Optional.empty();
      }
      long wait = Math.min(lockMillis, Math.max(1, Long.parseLong(text(r.get().get(1)))));
      counters.joined.increment();
      if (!await(notice, wait)) {
        return Optional.empty();
      }
      return shared(plausible(key, read(freshKey(k))));
    } finally {
      waiting.remove(k, notice);
    }
  }

  /**
   * An answer read from Redis, if it can be one of {@code key}: of that key (its symbol, expiration, range), and not
   * fetched in the future (by more than {@link #AHEAD}, for clocks a little apart). Whoever can write to Redis can put
   * any answer under any key; one that fails is treated as absent (this instance fetches the key itself, which
   * overwrites it) and logged once.
   */
  private Optional<Cached<V>> plausible(K key, Optional<Cached<V>> answer) {
    if (answer.isEmpty()) {
      return answer;
    }
    boolean ok = answer.get().fetchedAt().isBefore(clock.now().plus(AHEAD)) && belongs.test(key, answer.get().value());
    if (!ok && warned.compareAndSet(false, true)) {
      LOG.warn("fleet: ignoring a shared {} answer stored under {} that is not one of it or was fetched in the future "
          + "(asOf {}); further ones are ignored silently", kind, key, answer.get().fetchedAt());
    }
    return ok ? answer : Optional.empty();
  }

  /** A stored answer, unless Redis holds a larger value there than an instance shares: not even sent then. */
  private Optional<Cached<V>> read(String redisKey) {
    return link.awaitScript(Scripts.ANSWER, new String[] {redisKey}, maxBytes)
        .filter(r -> !r.isEmpty() && r.get(0) instanceof byte[])
        .flatMap(r -> codec.decode((byte[]) r.get(0)));
  }

  private Optional<Cached<V>> shared(Optional<Cached<V>> answer) {
    answer.ifPresent(a -> counters.sharedHits.increment());
    return answer;
  }

  /** Waits for another instance's notice; false if none came (or it said it failed) in time. */
  private static boolean await(CompletableFuture<Boolean> notice, long millis) {
    try {
      return notice.get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  @Override
  public void fetched(K key, Cached<V> answer, boolean good) {
    String k = key.toString();
    boolean mine = held.remove(k);
    if (!link.active()) {
      return;
    }
    Optional<byte[]> encoded = codec.encode(answer);
    if (encoded.isEmpty()) {
      counters.tooLarge.increment();
      if (mine) {
        gaveUp(k); // the lock is released and the waiting instances go on at once
      }
      return;
    }
    long freshMillis = freshMillis(answer.fetchedAt());
    Message notice = Message.answer(me, kind, k, answer.fetchedAt(), true);
    link.script(Scripts.FETCHED, new String[] {freshKey(k), goodKey(k), lockKey(k)}, encoded.get(), freshMillis,
        good ? lastGoodMillis : 0, me, Message.CHANNEL, notice.json())
        .thenRun(() -> {
          counters.published.increment();
          counters.messagesOut.increment();
        });
    if (good) {
      announced.asMap().merge(k, answer.fetchedAt(), RedisAnswers::newest);
    }
  }

  /** What is left of an answer's fresh-for, in ms; 0 when nothing is. */
  private long freshMillis(Instant fetchedAt) {
    if (!freshFor.enabled()) {
      return 0;
    }
    Duration age = Duration.between(fetchedAt, clock.now());
    try {
      return Math.max(0, freshFor.after(fetchedAt).minus(age.isNegative() ? Duration.ZERO : age).toMillis());
    } catch (ArithmeticException e) {
      return lastGoodMillis;
    }
  }

  @Override
  public void failed(K key) {
    failed(key.toString());
  }

  private void failed(String k) {
    if (held.remove(k)) {
      gaveUp(k);
    }
  }

  private void gaveUp(String k) {
    if (link.active()) {
      Message notice = Message.answer(me, kind, k, null, false);
      link.script(Scripts.FETCHED, new String[] {freshKey(k), goodKey(k), lockKey(k)}, new byte[0], 0, 0, me,
          Message.CHANNEL, notice.json()).thenRun(counters.messagesOut::increment);
    }
  }

  @Override
  public Optional<Cached<V>> lastGood(K key, Optional<Instant> local) {
    if (!link.active()) {
      return Optional.empty();
    }
    String k = key.toString();
    Instant newest = announced.getIfPresent(k);
    if (local.isPresent() && (newest == null || !newest.isAfter(local.get()))) {
      return Optional.empty(); // what memory holds is as new as anything the fleet announced: no round trip
    }
    Optional<Cached<V>> found = plausible(key, read(goodKey(k)));
    if (found.isEmpty() || local.isPresent() && !found.get().fetchedAt().isAfter(local.get())) {
      return Optional.empty();
    }
    counters.sharedFallbacks.increment();
    return found;
  }

  /** A notice from another instance: an answer of this kind was fetched (or the fetch failed). */
  void onNotice(Message m) {
    if (m.ok()) {
      m.asOfInstant().filter(asOf -> asOf.isBefore(clock.now().plus(AHEAD)))
          .ifPresent(asOf -> announced.asMap().merge(m.key(), asOf, RedisAnswers::newest));
    }
    CompletableFuture<Boolean> w = waiting.get(m.key());
    if (w != null) {
      w.complete(m.ok());
    }
  }

  /** Redis is gone: nobody waits for a notice that may never come. */
  void wakeAll() {
    waiting.values().forEach(w -> w.complete(false));
  }

  private static Instant newest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static String text(Object o) {
    return o instanceof byte[] ? new String((byte[]) o, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o);
  }
}
