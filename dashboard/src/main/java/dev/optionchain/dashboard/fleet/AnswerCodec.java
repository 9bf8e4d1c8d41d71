package dev.optionchain.dashboard.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.optionchain.dashboard.cache.Cached;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an answer is stored in Redis: gzip-compressed JSON {@code {"v":1,"asOf":"...","value":{...}}}, the value as the
 * model record's components (ISO-8601 dates and instants), every component written, nulls included. A
 * 1,600-contract chain with varied figures takes about 240 KB compressed, about 1 MB uncompressed
 * ({@code AnswerCodecTest}).
 *
 * <p>What is read back is anyone's to write, so reading is bounded by what this instance would itself share: at most
 * {@code maxBytes} compressed ({@code fleet.max-answer-bytes}), at most {@value #INFLATION} times that uncompressed,
 * and a token per {@value #BYTES_PER_TOKEN} bytes of that (a real answer has one per ten bytes); it is parsed as a
 * stream straight into the model (unknown fields skipped, not built), and every component must be present, so that a
 * small value cannot unfold into millions of objects. A gzip bomb or a value too large stops at those bounds, a few
 * tens of megabytes at most, instead of filling the heap. What breaks a bound, is of another version, or cannot be
 * read is treated as absent (one warning per kind). Answers beyond the bounds are not shared either (so every instance
 * with the same settings can read what another wrote). Thread-safe.
 *
 * @param <V> the answer's type
 */
final class AnswerCodec<V> {

  private static final Logger LOG = LoggerFactory.getLogger(AnswerCodec.class);
  /** How many times its compressed size an answer may take uncompressed. */
  static final int INFLATION = 8;
  /** Bytes of uncompressed JSON per token allowed, at least. */
  static final int BYTES_PER_TOKEN = 4;

  /** What is stored: the format's version, when the answer was fetched, the answer. */
  record Stored<V>(int v, Instant asOf, V value) {}

  private final String kind;
  private final int maxBytes;
  private final long maxJson;
  private final ObjectMapper json;
  private final JavaType type;
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * @param kind the kind of answer, for the warning
   * @param type the answer's class
   * @param maxBytes the largest answer shared or read, compressed
   */
  AnswerCodec(String kind, Class<V> type, int maxBytes) {
    this.kind = kind;
    this.maxBytes = maxBytes;
    this.maxJson = (long) maxBytes * INFLATION;
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
        .maxDocumentLength(maxJson)
        .maxTokenCount(maxJson / BYTES_PER_TOKEN)
        .build()).build();
    this.json = JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .build();
    this.type = json.getTypeFactory().constructParametricType(Stored.class, type);
  }

  /**
   * Encodes an answer.
   *
   * @param answer the answer
   * @return the bytes to store, or empty when the answer is larger than this codec reads back
   */
  Optional<byte[]> encode(Cached<V> answer) {
    try {
      byte[] plain = json.writeValueAsBytes(new Stored<>(Message.VERSION, answer.fetchedAt(), answer.value()));
      if (plain.length > maxJson) {
        return Optional.empty();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(512, plain.length / 4));
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(plain);
      }
      return out.size() > maxBytes ? Optional.empty() : Optional.of(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<Cached<V>> decode(byte[] stored) {
    if (stored == null || stored.length == 0) {
      return Optional.empty();
    }
    if (stored.length > maxBytes) {
      warn("of " + stored.length + " bytes, more than fleet.max-answer-bytes (" + maxBytes + ")");
      return Optional.empty();
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
      Stored<V> s = json.readValue(in, type);
      if (s == null || s.v() != Message.VERSION) {
        warn("of another version (" + (s == null ? "none" : s.v()) + ")");
        return Optional.empty();
      }
      return s.value() == null || s.asOf() == null ? Optional.empty() : Optional.of(new Cached<>(s.value(), s.asOf()));
    } catch (IOException | RuntimeException e) {
      warn("that cannot be read (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  private void warn(String what) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("fleet: ignoring a shared {} answer {}; further ones are ignored silently", kind,
          what.length() > 300 ? what.substring(0, 300) + "…" : what);
    }
  }
}
