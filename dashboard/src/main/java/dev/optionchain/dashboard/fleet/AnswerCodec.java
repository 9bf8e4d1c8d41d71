package dev.optionchain.dashboard.fleet;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * model record's components (ISO-8601 dates and instants). A 1,600-contract chain with varied figures takes about
 * 240 KB compressed ({@code AnswerCodecTest}). A stored answer of another version, or one that cannot be read, is
 * treated as absent (one warning per kind). Thread-safe.
 *
 * @param <V> the answer's type
 */
final class AnswerCodec<V> {

  private static final Logger LOG = LoggerFactory.getLogger(AnswerCodec.class);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  /** Largest answer read back, uncompressed: a guard against a corrupted or hostile value. */
  static final int MAX_JSON_BYTES = 64 * 1024 * 1024;

  private final String kind;
  private final JavaType type;
  private final AtomicBoolean warned = new AtomicBoolean();

  AnswerCodec(String kind, Class<V> type) {
    this.kind = kind;
    this.type = JSON.constructType(type);
  }

  byte[] encode(Cached<V> answer) {
    ObjectNode root = JSON.createObjectNode();
    root.put("v", Message.VERSION);
    root.put("asOf", answer.fetchedAt().toString());
    root.set("value", JSON.valueToTree(answer.value()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      JSON.writeValue(gz, root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  Optional<Cached<V>> decode(byte[] stored) {
    if (stored == null || stored.length == 0) {
      return Optional.empty();
    }
    try (InputStream in = new BoundedInput(new GZIPInputStream(new ByteArrayInputStream(stored)), MAX_JSON_BYTES)) {
      JsonNode root = JSON.readTree(in);
      if (root == null || root.path("v").intValue() != Message.VERSION) {
        warn("of another version (" + (root == null ? "none" : root.path("v")) + ")");
        return Optional.empty();
      }
      V value = JSON.treeToValue(root.path("value"), type);
      Instant asOf = Instant.parse(root.path("asOf").asText());
      return value == null ? Optional.empty() : Optional.of(new Cached<>(value, asOf));
    } catch (IOException | RuntimeException e) {
      warn("that cannot be read (" + e.getMessage() + ")");
      return Optional.empty();
    }
  }

  private void warn(String what) {
    if (warned.compareAndSet(false, true)) {
      LOG.warn("fleet: ignoring a shared {} answer {}; further ones are ignored silently", kind, what);
    }
  }

  /** Stops reading past a limit, so that a bad value cannot inflate without bound. */
  private static final class BoundedInput extends java.io.FilterInputStream {
    private long left;

    BoundedInput(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        throw new IOException("answer larger than " + MAX_JSON_BYTES + " bytes");
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        throw new IOException("answer larger than " + MAX_JSON_BYTES + " bytes");
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }
}
