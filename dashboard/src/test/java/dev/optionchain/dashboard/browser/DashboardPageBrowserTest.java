package dev.optionchain.dashboard.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.optionchain.breaker.testing.ManualClock;
import dev.optionchain.dashboard.Api;
import dev.optionchain.dashboard.DashboardApp;
import dev.optionchain.dashboard.TestDashboards;
import dev.optionchain.dashboard.config.DashboardConfig;
import dev.optionchain.dashboard.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard page in a real headless Chromium, against the real service and its embedded simulator: a user picks a
 * symbol, breaks the simulator's chains endpoint with the chaos panel, watches the options_chain breaker trip and the
 * chain fall back to the cache, heals the simulator and watches the breaker recover. The breakers run on a
 * {@link ManualClock}, moved past the recovery timeout instead of waiting for it.
 *
 * <p>Skipped when {@code /usr/bin/chromium} or {@code /usr/bin/chromedriver} is missing. Screenshots go to
 * {@code target/screenshots/}; with {@code -DupdateDocsScreenshot=true} the one with the breaker open is also copied to
 * {@code docs/dashboard-page.png}.
 */
class DashboardPageBrowserTest {

  private static final Path MODULE = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  private static final Path SCREENSHOTS = MODULE.resolve("target/screenshots");
  private static final Path DOCS_SCREENSHOT = MODULE.resolve("../docs/dashboard-page.png").normalize();

  @TempDir
  Path dataDir;

  @TempDir
  Path profile;

  private final ManualClock clock = TestDashboards.clock();
  private DashboardApp app;
  private ChromeDriver browser;
  private DashboardPage page;

  @BeforeAll
  static void chromiumIsInstalled() {
    Chromium.assumeInstalled();
  }

  @BeforeEach
  void start() {
    // the chain is reloaded until its breaker trips: every reload must reach the upstream
    app = TestDashboards.start(dataDir, clock, Map.of("breaker.options_chain.fresh-for", "0s"));
    browser = Chromium.start(profile);
    page = new DashboardPage(browser, SCREENSHOTS);
    page.recordContentSecurityPolicyViolations();
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) {
        printBrowserErrors();
      }
    } finally {
      // the service first, while the page is still connected to its event stream
      if (app != null) {
        app.close();
      }
      if (browser != null) {
        browser.quit();
      }
    }
  }

  @Test
  void anOutageTripsTheChainBreakerThePageShowsTheCacheAndThenRecovers() throws IOException {
    try {
      page.open(app.url() + "/?symbol=AAPL");
      page.awaitLiveChainRows();
      page.awaitLiveEvents();
      page.awaitBreakerState("options_chain", "CLOSED");
      assertThat(page.text(By.id("quote-symbol"))).isEqualTo("AAPL");
      assertThat(page.text(By.id("chain-body"))).contains("ATM");
      assertThat(browser.findElements(By.cssSelector(".range-mark"))).as("the quote's range markers")
          .isNotEmpty().allSatisfy(mark -> assertThat(mark.getAttribute("style")).contains("left"));
      int rows = page.chainRowCount();
      assertThat(rows).as("+-10 strikes around the money, at most").isBetween(3, 21);
      page.screenshot("01-live");

      catchUpWithRealTime(); // so the page's countdown (real time) starts near 90 s however slow the start was
      page.injectFault("chains", "outage");
      for (int i = 0; i < 3; i++) {
        page.reloadChain();
        assertThat(page.chainSource()).as("failed load %d answered from the cache", i + 1).isEqualTo("cache");
      }
      page.awaitBreakerState("options_chain", "OPEN");
      assertThat(page.text(By.cssSelector(".breaker-card[data-breaker='options_chain'] .bc-fail")))
          .contains("3/3");
      assertThat(page.text(By.cssSelector(".breaker-card[data-breaker='options_chain'] .bc-timer")))
          .containsPattern("trial call in \\d");
      assertThat(page.awaitChainCacheBadge().getText())
          .containsPattern("^cached as of (\\w{3} \\d{1,2} )?\\d\\d:\\d\\d:\\d\\d");
      assertThat(page.chainRowCount()).as("the cached chain is still on screen").isEqualTo(rows);
      page.awaitTimelineEntry("options_chain", "OPEN");
      assertThat(page.breakerCard("current_price").getAttribute("data-state")).isEqualTo("CLOSED");
      page.awaitSlaTrips("options_chain", 1);
      Path open = page.screenshot("02-breaker-open-chain-from-cache");
      if (Boolean.getBoolean("updateDocsScreenshot")) {
        Files.write(DOCS_SCREENSHOT, Files.readAllBytes(open));
      }

      page.clearAllFaults();
      clock.advance(Duration.ofSeconds(90));
      page.reloadChain(); // the trial call: the recovery timeout has passed on the breakers' clock
      page.awaitBreakerState("options_chain", "CLOSED");
      page.awaitNoChainCacheBadge();
      assertThat(page.chainSource()).isEqualTo("live");
      assertThat(page.chainRowCount()).isEqualTo(rows);
      page.awaitTimelineEntry("options_chain", "HALF_OPEN");
      page.awaitTimelineEntry("options_chain", "CLOSED");
      page.screenshot("03-recovered");
      assertNoContentSecurityPolicyViolation();
    } catch (RuntimeException | AssertionError e) {
      page.screenshot("failure");
      throw e;
    }
  }

  @Test
  void aChainOfSeveralRootsShowsTheRootOfEachRow() throws IOException {
    try {
      String monthly = null;
      for (var date : new dev.optionchain.dashboard.Api(app.url()).get("/api/options/SPX/expirations").json()
          .path("data").path("dates")) {
        java.time.LocalDate d = java.time.LocalDate.parse(date.asText());
        if (d.getDayOfWeek() == java.time.DayOfWeek.FRIDAY && d.getDayOfMonth() >= 15 && d.getDayOfMonth() <= 21) {
          monthly = date.asText();
          break;
        }
      }
      assertThat(monthly).as("a monthly SPX expiration").isNotNull();
      page.open(app.url() + "/?symbol=SPX");
      page.awaitLiveChainRows();
      var rows = page.chooseExpiration(monthly);
      java.util.Map<String, java.util.Set<String>> rootsByStrike = new java.util.HashMap<>();
      for (var row : rows) {
        rootsByStrike.computeIfAbsent(row.getAttribute("data-strike"), k -> new java.util.TreeSet<>())
            .add(row.getAttribute("data-root"));
      }
      assertThat(rootsByStrike.values()).as("SPX and SPXW rows at one strike")
          .anySatisfy(r -> assertThat(r).containsExactly("SPX", "SPXW"));
      assertThat(browser.findElements(By.cssSelector("#chain-body .root-tag")))
          .extracting(e -> e.getText()).contains("SPX", "SPXW");
      page.screenshot("04-two-roots");
      assertNoContentSecurityPolicyViolation();
    } catch (RuntimeException | AssertionError e) {
      page.screenshot("failure-roots");
      throw e;
    }
  }

  @Test
  void withAnAdminTokenTheChaosPanelAsksForItAndThenWorks() {
    app.close();
    app = TestDashboards.start(dataDir, clock, Map.of("admin.token", "browser-test-admin-token"));
    try {
      page.open(app.url() + "/?symbol=AAPL");
      page.awaitLiveChainRows();
      assertThat(page.tryToInjectFault("lookup")).contains("admin token");
      assertThat(simulatorFaults()).isEqualTo("[]");
      page.enterAdminToken("browser-test-admin-token");
      page.injectFault("lookup", "outage");
      assertThat(simulatorFaults()).contains("lookup");
      page.clearAllFaults();
      assertThat(simulatorFaults()).isEqualTo("[]");
      assertNoContentSecurityPolicyViolation();
    } catch (RuntimeException | AssertionError e) {
      page.screenshot("failure-token");
      throw e;
    }
  }

  /**
   * The page runs under the service's Content-Security-Policy: nothing it needed was blocked (the browser reports
   * each block as a {@code securitypolicyviolation} event and a console error).
   */
  private void assertNoContentSecurityPolicyViolation() {
    assertThat(page.contentSecurityPolicyViolations()).as("blocked by the Content-Security-Policy").isEmpty();
    assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
        .as("console errors about the Content-Security-Policy")
        .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"));
  }

  private String simulatorFaults() {
    return new Api(app.simulator().orElseThrow().baseUrl()).get("/sim/faults").raw().body();
  }

  /** Moves the breakers' clock forward to the wall clock's time (it only ever moves forward). */
  private void catchUpWithRealTime() {
    Duration behind = Duration.between(clock.now(), Instant.now());
    if (!behind.isNegative()) {
      clock.advance(behind);
    }
  }

  private void printBrowserErrors() {
    for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.WARNING.intValue()) {
        System.out.println("browser console: " + entry.getMessage());
      }
    }
  }
}
