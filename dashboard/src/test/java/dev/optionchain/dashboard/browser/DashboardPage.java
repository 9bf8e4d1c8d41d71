package dev.optionchain.dashboard.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard page as a user drives it: by its controls, never by calling its API. Every wait is an explicit
 * condition on what the page shows (its {@code data-*} state attributes and text), with a generous timeout.
 */
final class DashboardPage {

  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final ChromeDriver browser;
  private final WebDriverWait wait;
  private final Path screenshots;

  DashboardPage(ChromeDriver browser, Path screenshots) {
    this.browser = browser;
    this.screenshots = screenshots;
    this.wait = new WebDriverWait(browser, TIMEOUT);
    wait.ignoring(StaleElementReferenceException.class);
  }

  /**
   * Makes every page this browser opens record the Content-Security-Policy violations it reports, from before its
   * first script runs (Chrome DevTools: a script added to every new document).
   */
  void recordContentSecurityPolicyViolations() {
    browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
        "window.__cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
            + "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':'"
            + " + e.lineNumber));"));
  }

  /** The violations the current page reported so far. */
  List<Object> contentSecurityPolicyViolations() {
    Object v = browser.executeScript("return window.__cspViolations || ['the recorder did not run'];");
    return v instanceof List<?> list ? List.copyOf(list) : List.of(String.valueOf(v));
  }

  void open(String url) {
    browser.get(url);
  }

  /** Waits for the option chain to show rows, live from the upstream. */
  List<WebElement> awaitLiveChainRows() {
    wait.withMessage("the option chain to show live rows")
        .until(ExpectedConditions.attributeToBe(By.id("chain-panel"), "data-source", "live"));
    return wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#chain-body tr.chain-row"), 0));
  }

  int chainRowCount() {
    return browser.findElements(By.cssSelector("#chain-body tr.chain-row")).size();
  }

  String chainSource() {
    return browser.findElement(By.id("chain-panel")).getAttribute("data-source");
  }

  /** Clicks the chain's reload button and waits until that load has finished. */
  void reloadChain() {
    WebElement panel = browser.findElement(By.id("chain-panel"));
    int before = loads(panel);
    browser.findElement(By.id("chain-reload")).click();
    wait.withMessage("the option chain to finish reloading")
        .until(d -> loads(panel) > before && "false".equals(panel.getAttribute("data-loading")));
  }

  private static int loads(WebElement panel) {
    String n = panel.getAttribute("data-loads");
    return n == null ? 0 : Integer.parseInt(n);
  }

  /** Picks an expiration in the select, as a user does, and waits for that chain to be shown live. */
  List<WebElement> chooseExpiration(String date) {
    new Select(browser.findElement(By.id("expiration-select"))).selectByValue(date);
    wait.withMessage("the chain of " + date).until(d -> d.findElement(By.id("chain-summary")).getText().length() > 0
        && "live".equals(d.findElement(By.id("chain-panel")).getAttribute("data-source"))
        && !d.findElements(By.cssSelector("#chain-body tr.chain-row .root-tag")).isEmpty());
    return browser.findElements(By.cssSelector("#chain-body tr.chain-row"));
  }

  WebElement breakerCard(String breaker) {
    return browser.findElement(By.cssSelector(".breaker-card[data-breaker='" + breaker + "']"));
  }

  /** Waits until the breaker's card shows {@code state} (the page learns it from Server-Sent Events). */
  void awaitBreakerState(String breaker, String state) {
    By card = By.cssSelector(".breaker-card[data-breaker='" + breaker + "']");
    wait.withMessage("the " + breaker + " card to show " + state)
        .until(ExpectedConditions.attributeToBe(card, "data-state", state));
  }

  /** Waits until the SSE indicator says the page is receiving breaker events. */
  void awaitLiveEvents() {
    wait.withMessage("the event stream to be live")
        .until(ExpectedConditions.attributeToBe(By.id("sse-indicator"), "data-state", "live"));
  }

  /** Waits for the "cached as of" badge on the option chain and returns it. */
  WebElement awaitChainCacheBadge() {
    return wait.withMessage("the option chain's \"cached as of\" badge")
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#chain-badge .cache-badge")));
  }

  void awaitNoChainCacheBadge() {
    wait.withMessage("the option chain's \"cached as of\" badge to disappear")
        .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#chain-badge .cache-badge"), 0));
  }

  /** Sets a fault with the chaos panel and waits until the panel lists it. */
  void injectFault(String endpoint, String mode) {
    wait.withMessage("the chaos panel").until(ExpectedConditions.visibilityOfElementLocated(By.id("chaos-panel")));
    new Select(browser.findElement(By.id("chaos-endpoint"))).selectByValue(endpoint);
    new Select(browser.findElement(By.id("chaos-mode"))).selectByValue(mode);
    browser.findElement(By.id("chaos-inject")).click();
    wait.withMessage("the chaos panel to list the " + mode + " on " + endpoint)
        .until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#fault-list li[data-endpoint='" + endpoint + "'][data-mode='" + mode + "']")));
  }

  /** Presses "Inject fault" for an outage on {@code endpoint} and waits for the panel's message. */
  String tryToInjectFault(String endpoint) {
    wait.withMessage("the chaos panel").until(ExpectedConditions.visibilityOfElementLocated(By.id("chaos-panel")));
    new Select(browser.findElement(By.id("chaos-endpoint"))).selectByValue(endpoint);
    new Select(browser.findElement(By.id("chaos-mode"))).selectByValue("outage");
    browser.findElement(By.id("chaos-inject")).click();
    return wait.withMessage("the chaos panel's message").until(d -> {
      String text = d.findElement(By.id("chaos-message")).getText();
      return text.isBlank() ? null : text;
    });
  }

  /** Waits for the chaos panel to ask for the admin token, enters it and waits for the panel to accept it. */
  void enterAdminToken(String token) {
    WebElement input = wait.withMessage("the chaos panel to ask for the admin token")
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("chaos-token")));
    input.sendKeys(token);
    browser.findElement(By.cssSelector("#chaos-auth button[type='submit']")).click();
    wait.withMessage("the token form to close").until(ExpectedConditions.invisibilityOfElementLocated(By.id("chaos-auth")));
  }

  /** Clears every fault with the chaos panel and waits until the panel lists none. */
  void clearAllFaults() {
    browser.findElement(By.id("chaos-clear-all")).click();
    wait.withMessage("the chaos panel to list no fault")
        .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#fault-list li[data-endpoint]"), 0));
  }

  /** Waits until the transitions timeline shows {@code breaker} entering {@code to}. */
  WebElement awaitTimelineEntry(String breaker, String to) {
    return wait.withMessage("the timeline to show " + breaker + " entering " + to)
        .until(ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#timeline li[data-breaker='" + breaker + "'][data-to='" + to + "']")));
  }

  /**
   * Waits until the SLA table's row of {@code breaker} counts at least {@code trips} trips, pressing the table's reload
   * button while it does not (the service persists a transition within a second of it).
   */
  void awaitSlaTrips(String breaker, int trips) {
    By cell = By.cssSelector("#sla-body tr[data-breaker='" + breaker + "'] td:nth-of-type(2)");
    new WebDriverWait(browser, TIMEOUT, Duration.ofSeconds(1))
        .ignoring(StaleElementReferenceException.class)
        .withMessage("the SLA table to count " + trips + " trip(s) of " + breaker)
        .until(d -> {
          List<WebElement> found = d.findElements(cell);
          if (!found.isEmpty() && found.get(0).getText().matches("\\d+")
              && Integer.parseInt(found.get(0).getText()) >= trips) {
            return true;
          }
          d.findElement(By.id("sla-reload")).click();
          return false;
        });
  }

  String text(By by) {
    return browser.findElement(by).getText();
  }

  /**
   * Saves what the browser shows as {@code target/screenshots/<name>.png}.
   *
   * @return the file
   */
  Path screenshot(String name) {
    try {
      Files.createDirectories(screenshots);
      return Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
