package dev.optionchain.dashboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshForTest {

  @Test
  void nextCloseIsTheNextWeekday1600InNewYork() {
    // Wednesday 11:00 New York -> the same day 16:00 (20:00 UTC in March, daylight time)
    assertThat(FreshFor.nextClose(Instant.parse("2026-03-18T15:00:00Z"))).isEqualTo("2026-03-18T20:00:00Z");
    // Wednesday 16:00 exactly -> Thursday
    assertThat(FreshFor.nextClose(Instant.parse("2026-03-18T20:00:00Z"))).isEqualTo("2026-03-19T20:00:00Z");
    // Friday evening -> Monday
    assertThat(FreshFor.nextClose(Instant.parse("2026-03-20T22:00:00Z"))).isEqualTo("2026-03-23T20:00:00Z");
    // January: standard time, 21:00 UTC
    assertThat(FreshFor.nextClose(Instant.parse("2026-01-05T15:00:00Z"))).isEqualTo("2026-01-05T21:00:00Z");
  }

  @Test
  void everyBreakerHasADocumentedDefaultAndZeroTurnsItOff() {
    DashboardConfig c = DashboardConfig.from(Settings.defaults());
    assertThat(c.breaker("current_price").freshFor()).isEqualTo(FreshFor.of(Duration.ofSeconds(2)));
    assertThat(c.breaker("options_chain").freshFor()).isEqualTo(FreshFor.of(Duration.ofSeconds(10)));
    assertThat(c.breaker("expirations").freshFor()).isEqualTo(FreshFor.of(Duration.ofMinutes(10)));
    assertThat(c.breaker("ticker_info").freshFor()).isEqualTo(FreshFor.of(Duration.ofDays(1)));
    assertThat(c.breaker("price_history").freshFor().untilNextClose()).isTrue();
    assertThat(c.rateLimitPerMinute()).isEqualTo(120);
    assertThat(c.cache().unknownSymbolsFor()).isEqualTo(Duration.ofHours(1));

    DashboardConfig off = DashboardConfig.from(Settings.defaults().withEnvironment(
        Map.of("OCD_BREAKER_CURRENT_PRICE_FRESH_FOR", "0s")));
    assertThat(off.breaker("current_price").freshFor().enabled()).isFalse();
    assertThatThrownBy(() -> DashboardConfig.from(Settings.defaults().with(
        Map.of("breaker.options_chain.fresh-for", "soon"), "test")))
        .hasMessageContaining("breaker.options_chain.fresh-for").hasMessageContaining("soon");
  }
}
