package dev.optionchain.dashboard.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.dashboard.cache.Cached;
import dev.optionchain.dashboard.model.Greeks;
import dev.optionchain.dashboard.model.OptionChain;
import dev.optionchain.dashboard.model.OptionContract;
import dev.optionchain.dashboard.model.OptionType;
import dev.optionchain.dashboard.model.Quote;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Answers as stored in Redis: compressed JSON that reads back equal; what a big chain weighs; bad values ignored. */
class AnswerCodecTest {

  private static final Instant AS_OF = Instant.parse("2026-12-07T10:15:31.004211Z");
  /** The default of fleet.max-answer-bytes. */
  private static final int MAX = 2 * 1024 * 1024;

  /** A chain of {@code n} contracts with realistic, varied figures (compression depends on them). */
  static OptionChain chain(int n) {
    Random r = new Random(42);
    List<OptionContract> contracts = new ArrayList<>();
    LocalDate exp = LocalDate.of(2026, 12, 18);
    for (int i = 0; i < n; i++) {
      OptionType type = i % 2 == 0 ? OptionType.CALL : OptionType.PUT;
      double strike = 100 + (i / 2) * 0.5;
      String occ = String.format("SPX261218%s%08d", type == OptionType.CALL ? "C" : "P", (long) (strike * 1000));
      double mid = Math.round(r.nextDouble() * 5000) / 100.0;
      Greeks g = new Greeks(r.nextDouble() - 0.5, r.nextDouble() / 100, -r.nextDouble() / 10, r.nextDouble(),
          r.nextDouble() / 10, -r.nextDouble() / 10, 0.1 + r.nextDouble() / 2, 0.1 + r.nextDouble() / 2,
          0.1 + r.nextDouble() / 2, 0.1 + r.nextDouble() / 2, "2026-12-07 10:15:00");
      contracts.add(new OptionContract(occ, i % 10 == 0 ? "SPXW" : "SPX", "SPX", type, strike, exp, "standard", 100,
          mid, Math.round((r.nextDouble() - 0.5) * 100) / 100.0, mid - 0.05, (long) r.nextInt(500), mid + 0.05,
          (long) r.nextInt(500), (long) r.nextInt(100_000), (long) r.nextInt(500_000), g));
    }
    return new OptionChain("SPX", exp, contracts);
  }

  @Test
  void aChainOf1600ContractsReadsBackEqualAndWeighsLittleCompressed() {
    AnswerCodec<OptionChain> codec = new AnswerCodec<>("options_chain", OptionChain.class, MAX);
    OptionChain chain = chain(1600);
    byte[] stored = codec.encode(new Cached<>(chain, AS_OF)).orElseThrow();
    Cached<OptionChain> back = codec.decode(stored).orElseThrow();
    assertThat(back.value()).isEqualTo(chain);
    assertThat(back.fetchedAt()).isEqualTo(AS_OF);
    // documented in docs/fleet.md: well under the 2 MiB default of fleet.max-answer-bytes
    assertThat(stored.length).as("compressed bytes").isLessThan(512 * 1024);
    System.out.printf("a 1,600-contract chain: %d bytes stored%n", stored.length);
  }

  @Test
  void aQuoteWithNullsReadsBackEqual() {
    AnswerCodec<Quote> codec = new AnswerCodec<>("current_price", Quote.class, MAX);
    Quote q = new Quote("VIX", "CBOE Volatility Index", "C", "index", 12.18, -0.3, -2.4, null, null, AS_OF, 12.5,
        12.9, 12.0, null, 12.48, null, null, null, null, null, null);
    assertThat(codec.decode(codec.encode(new Cached<>(q, AS_OF)).orElseThrow())).contains(new Cached<>(q, AS_OF));
  }

  @Test
  void aValueThatCannotBeReadIsAbsentNotAnError() {
    AnswerCodec<Quote> codec = new AnswerCodec<>("current_price", Quote.class, MAX);
    assertThat(codec.decode("not gzip".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(codec.decode(new byte[0])).isEmpty();
    byte[] otherVersion = new AnswerCodec<>("options_chain", OptionChain.class, MAX)
        .encode(new Cached<>(chain(2), AS_OF)).orElseThrow();
    assertThat(codec.decode(otherVersion)).as("a chain is no quote").isEmpty();
  }

  /** Bytes this thread allocated so far (HotSpot). */
  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void aGzipBombStopsAtTheBoundsInsteadOfFillingTheHeap() throws Exception {
    AnswerCodec<Quote> codec = new AnswerCodec<>("current_price", Quote.class, MAX);
    Quote q = new Quote("AAPL", "Apple Inc", "Q", "stock", 1.0, 0.0, 0.0, null, null, AS_OF, 1.0, 1.0, 1.0, null,
        1.0, null, null, null, null, null, null);
    String real = new String(inflate(codec.encode(new Cached<>(q, AS_OF)).orElseThrow()), StandardCharsets.UTF_8);
    // the same quote with 48 MiB of numbers in a field nobody reads: 12 million of them
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out)) {
      gz.write(real.substring(0, real.length() - 2).getBytes(StandardCharsets.UTF_8));
      gz.write(",\"junk\":[".getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "0.5,".repeat(1024).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 12 * 1024; i++) {
        gz.write(chunk);
      }
      gz.write("0.5]}}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] bomb = out.toByteArray();
    assertThat(bomb.length).as("compressed: within fleet.max-answer-bytes").isLessThan(MAX);
    long before = allocated();
    assertThat(codec.decode(bomb)).isEmpty();
    long used = allocated() - before;
    assertThat(used).as("bytes allocated reading it").isLessThan(64L * 1024 * 1024);
  }

  private static byte[] inflate(byte[] gz) throws java.io.IOException {
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
