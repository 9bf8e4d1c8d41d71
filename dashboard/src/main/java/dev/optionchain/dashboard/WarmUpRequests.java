package dev.optionchain.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;

/**
 * The requests of the start-up warm-up ({@link WarmUp}): GETs of the API's routes on the throwaway server, as a client
 * sends them, on one kept-alive connection. Not thread-safe: one run's, on its thread.
 */
final class WarmUpRequests {

  /** The most of a refused answer's body its reason quotes. */
  static final int SNIPPET = 200;

  private final URI base;
  private final LocalDate expiration;

  /**
   * @param host the throwaway server's address (an IPv6 literal is bracketed in the URL)
   * @param port its port
   * @param expiration the expiration the option chains are asked for (one the recorded upstream lists)
   */
  WarmUpRequests(String host, int port, LocalDate expiration) {
    try {
      this.base = new URI("http", null, host, port, null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a host: " + host, e);
    }
    this.expiration = expiration;
  }

  /**
   * The path and query of request {@code i}: one of the five kinds (quote, expirations, option chain, daily history
   * of a year, dashboard view), for a symbol of its own ({@link WarmUp#symbol}).
   *
   * @param i the request's number
   * @param today the service's date
   * @return the path and query
   */
  String path(int i, LocalDate today) {
    String symbol = WarmUp.symbol(i);
    switch (i % WarmUp.KINDS) {
      case 0:
        return "/api/quote/" + symbol;
      case 1:
        return "/api/options/" + symbol + "/expirations";
      case 2:
        return "/api/options/" + symbol + "?expiration=" + expiration;
      case 3:
        return "/api/history/" + symbol + "?interval=daily&start=" + today.minusYears(1) + "&end=" + today;
      default:
        return "/api/dashboard/" + symbol;
    }
  }

  /**
   * Sends {@code GET path} and reads its answer to the end (so that the connection is kept alive for the next).
   *
   * @param path the path and query
   * @param timeout the connect timeout, and the read timeout of each read (at least 1 ms)
   * @throws IllegalStateException if the answer is not 200, with its status and the start of its body
   * @throws UncheckedIOException if the request fails
   */
  void get(String path, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try {
      HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
      c.setConnectTimeout(millis);
      c.setReadTimeout(millis);
      int status = c.getResponseCode();
      byte[] body;
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        body = in == null ? new byte[0] : in.readAllBytes();
      }
      if (status != 200) {
        String text = new String(body, StandardCharsets.UTF_8);
        throw new IllegalStateException("GET " + path + " answered " + status + ": "
            + (text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + ": " + e, e);
    }
  }
}
