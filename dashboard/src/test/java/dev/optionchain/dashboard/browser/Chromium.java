package dev.optionchain.dashboard.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through Debian's chromedriver, both at fixed paths so that Selenium Manager never
 * looks for (or downloads) a browser. Tests that need it skip when either is missing; {@code .ci/run} installs them.
 */
final class Chromium {

  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /** Skips the calling test, saying how to get the browser, unless Chromium and chromedriver are installed. */
  static void assumeInstalled() {
    assumeTrue(Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER),
        () -> "browser test skipped: needs " + BROWSER + " and " + DRIVER
            + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)");
  }

  /**
   * Starts a headless browser with a fresh profile.
   *
   * @param profile an empty directory for the browser's profile
   * @return the driver; {@code quit()} it
   */
  static ChromeDriver start(Path profile) {
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1366,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(30))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }
}
