package dev.optionchain.dashboard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoTest {

  private static final Instant T0 = Instant.parse("2026-03-02T14:30:00Z");

  @Test
  void remembersWhatWasLoadedAndLoadsOnlyOnce() {
    Memo memo = new Memo(10);
    AtomicInteger loads = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      assertThat(memo.get(List.of("quote", "AAPL"), () -> {
        loads.incrementAndGet();
        return Optional.of(new Cached<>("v1", T0));
      })).map(Cached::value).contains("v1");
    }
    assertThat(loads).hasValue(1);
  }

  @Test
  void doesNotRememberAbsence() {
    Memo memo = new Memo(10);
    assertThat(memo.get(List.of("quote", "X"), Optional::<Cached<String>>empty)).isEmpty();
    assertThat(memo.contains(List.of("quote", "X"))).isFalse();
  }

  @Test
  void aLoadThatRacedWithAWriteIsNotRemembered() {
    Memo memo = new Memo(10);
    List<Object> key = List.of("chain", "AAPL");
    Optional<Cached<String>> stale = memo.get(key, () -> {
      memo.remove(key); // a write commits while this load is reading the old rows
      return Optional.of(new Cached<>("old", T0));
    });
    assertThat(stale).map(Cached::value).contains("old");
    assertThat(memo.contains(key)).as("the old rows are not kept").isFalse();
  }

  @Test
  void evictsTheLeastRecentlyUsedPastItsCapacity() {
    Memo memo = new Memo(2);
    memo.get(List.of("a"), () -> Optional.of(new Cached<>("a", T0)));
    memo.get(List.of("b"), () -> Optional.of(new Cached<>("b", T0)));
    memo.get(List.of("a"), () -> Optional.of(new Cached<>("a2", T0))); // touch a
    memo.get(List.of("c"), () -> Optional.of(new Cached<>("c", T0)));
    assertThat(memo.contains(List.of("a"))).isTrue();
    assertThat(memo.contains(List.of("b"))).isFalse();
    assertThat(memo.contains(List.of("c"))).isTrue();
  }

  @Test
  void removeIfForgetsAKindOfKeys() {
    Memo memo = new Memo(10);
    memo.get(List.of("chain", "A"), () -> Optional.of(new Cached<>("x", T0)));
    memo.get(List.of("quote", "A"), () -> Optional.of(new Cached<>("y", T0)));
    memo.removeIf(k -> k.get(0).equals("chain"));
    assertThat(memo.contains(List.of("chain", "A"))).isFalse();
    assertThat(memo.contains(List.of("quote", "A"))).isTrue();
  }
}
