package dev.optionchain.dashboard.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.optionchain.breaker.CircuitBreakerState;
import dev.optionchain.breaker.StateTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fleet message: small, versioned JSON on the channel {@value #CHANNEL}, one of two types.
 *
 * <pre>{@code
 * {"v":1,"type":"transition","instance":"host-a:8080","breaker":"options_chain","from":"CLOSED","to":"OPEN",
 *  "at":"2026-12-07T10:15:30.123456Z","reason":"3 consecutive failures","remainingMs":90000,
 *  "seq":1796631330123456}
 * {"v":1,"type":"answer","instance":"host-a:8080","kind":"options_chain","key":"AAPL 2026-12-18",
 *  "asOf":"2026-12-07T10:15:31.004211Z","ok":true}
 * }</pre>
 *
 * <p>A transition says what one instance's breaker decided (not adopted): to OPEN with the recovery time left
 * ({@code remainingMs}, a duration, so that instances whose wall clocks differ a little still agree), to CLOSED, or to
 * HALF_OPEN (its trial started), with its {@code seq}, which Redis adds when it accepts the decision (a decision made
 * on a fleet state that another decision has replaced since is refused, so an old OPEN cannot re-open a fleet that
 * closed since). An answer notice says an instance fetched a key ({@code ok}: the answer is in Redis)
 * or gave up fetching it ({@code ok: false}); the answer itself is in Redis, never in the message. The same JSON of an
 * OPEN transition is the breaker's state key, so a late instance reads what the others heard.
 *
 * <p>Readers ignore fields they do not know (later versions may add some); a message of another version {@code v}
 * is ignored with one warning per process, not one per message. Immutable.
 *
 * @param v the format's version, {@value #VERSION}
 * @param type {@code transition} or {@code answer}
 * @param instance the sending instance's id
 * @param breaker transition: the breaker's name
 * @param from transition: the state before
 * @param to transition: the state after
 * @param at transition: when it happened (the sender's wall clock; for display)
 * @param reason transition: why
 * @param remainingMs transition to OPEN: milliseconds until the trial call is due
 * @param kind answer: the kind of data (a breaker's name)
 * @param key answer: the resource, e.g. {@code AAPL} or {@code AAPL 2026-12-18}
 * @param asOf answer: when it was fetched from the upstream
 * @param ok answer: true if it is in Redis, false if the fetch failed
 * @param seq transition: its place among the breaker's decisions in the fleet, set by Redis when it accepted the
 *     decision ({@link Scripts#DECIDED}; larger is later); null in a message of an older release
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Message(int v, String type, String instance, String breaker, String from, String to, String at,
    String reason, Long remainingMs, String kind, String key, String asOf, Boolean ok, Long seq) {

  /** The pub/sub channel every instance publishes to and listens on. */
  static final String CHANNEL = "ocd:fleet";
  /** The version this code writes and reads. */
  static final int VERSION = 1;
  static final String TRANSITION = "transition";
  static final String ANSWER = "answer";

  private static final Logger LOG = LoggerFactory.getLogger(Message.class);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final AtomicBoolean WARNED_VERSION = new AtomicBoolean();
  private static final AtomicBoolean WARNED_MALFORMED = new AtomicBoolean();

  static Message transition(String instance, StateTransition t, Duration remaining) {
    return new Message(VERSION, TRANSITION, instance, t.breakerName(), t.from().name(), t.to().name(),
        t.at().toString(), t.reason(), t.to() == CircuitBreakerState.OPEN ? Math.max(1, remaining.toMillis()) : null,
        null, null, null, null, null);
  }

  static Message answer(String instance, String kind, String key, Instant asOf, boolean ok) {
    return new Message(VERSION, ANSWER, instance, null, null, null, null, null, null, kind, key,
        asOf == null ? null : asOf.toString(), ok, null);
  }

  /** @return whether this is a transition with the fields one needs */
  boolean isTransition() {
    return TRANSITION.equals(type) && breaker != null && to != null && instance != null && reason != null
        && state(to).isPresent() && (!"OPEN".equals(to) || remainingMs != null);
  }

  /** @return whether this is an answer notice with the fields one needs */
  boolean isAnswer() {
    return ANSWER.equals(type) && kind != null && key != null && instance != null && ok != null;
  }

  /** @return the state a transition led to */
  CircuitBreakerState toState() {
    return state(to).orElseThrow();
  }

  /** @return an answer's asOf, if readable */
  Optional<Instant> asOfInstant() {
    try {
      return asOf == null ? Optional.empty() : Optional.of(Instant.parse(asOf));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a fleet message", e);
    }
  }

  /**
   * Reads a message; one of another version, or not a message at all, is ignored (empty) and counted, with one
   * warning per kind per process.
   *
   * @param json the text received
   * @param ignored counts what was ignored
   * @return the message, or empty
   */
  static Optional<Message> parse(String json, LongAdder ignored) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException | RuntimeException e) {
      tree = null;
    }
    if (tree == null || !tree.isObject() || !tree.path("v").isInt()) {
      ignored.increment();
      if (WARNED_MALFORMED.compareAndSet(false, true)) {
        LOG.warn("fleet: ignoring a message that is not a fleet message (further ones are ignored silently): {}",
            shorten(json));
      }
      return Optional.empty();
    }
    int version = tree.path("v").intValue();
    if (version != VERSION) {
      ignored.increment();
      if (WARNED_VERSION.compareAndSet(false, true)) {
        LOG.warn("fleet: ignoring messages of version {} (this instance reads version {}; an instance of another "
            + "release is in the fleet); further ones are ignored silently", version, VERSION);
      }
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.treeToValue(tree, Message.class));
    } catch (JsonProcessingException | RuntimeException e) {
      ignored.increment();
      if (WARNED_MALFORMED.compareAndSet(false, true)) {
        LOG.warn("fleet: ignoring a malformed message (further ones are ignored silently): {}", shorten(json));
      }
      return Optional.empty();
    }
  }

  /** Lets the next ignored message warn again (tests). */
  static void forgetWarnings() {
    WARNED_VERSION.set(false);
    WARNED_MALFORMED.set(false);
  }

  private static Optional<CircuitBreakerState> state(String name) {
    for (CircuitBreakerState s : CircuitBreakerState.values()) {
      if (s.name().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static String shorten(String s) {
    String one = s == null ? "null" : s.replaceAll("[\\p{Cntrl}]", "?");
    return one.length() > 120 ? one.substring(0, 120) + "…" : one;
  }
}
